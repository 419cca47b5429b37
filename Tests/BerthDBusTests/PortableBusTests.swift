import BerthDBus
import Foundation
import TestSupport
import Testing

/// The org.freedesktop.portable1 front door driven by systemd's own clients (busctl, portablectl)
/// over a real dbus-daemon.
@Suite(.serialized)
struct PortableBusTests {
    private static let manager = [
        "org.freedesktop.portable1", "/org/freedesktop/portable1", "org.freedesktop.portable1.Manager",
    ]

    @Test func introspectionListsPortabledsMembersWithTheirSignatures() throws {
        try BusHarness.with { harness in
            let result = try harness.busctl(["introspect", "org.freedesktop.portable1", "/org/freedesktop/portable1"])
            #expect(result.status == 0, "\(result)")
            let rows = Set(
                result.stdout.split(separator: "\n").map { $0.split(separator: " ").prefix(4).joined(separator: " ") }
            )
            // As `busctl introspect` shows systemd-portabled 262.
            for expected in [
                ".AttachImage method sassbs a(sss)", ".AttachImageWithExtensions method sasassst a(sss)",
                ".DetachImage method sb a(sss)", ".DetachImageWithExtensions method sast a(sss)",
                ".GetImage method s o", ".GetImageMetadata method sas saya{say}",
                ".GetImageMetadataWithExtensions method sasast saya{say}a{say}", ".GetImageOSRelease method s a{ss}",
                ".GetImageState method s s", ".GetImageStateWithExtensions method sast s",
                ".ListImages method - a(ssbtttso)", ".MarkImageReadOnly method sb -",
                ".ReattachImage method sassbs a(sss)a(sss)",
                ".ReattachImageWithExtensions method sasassst a(sss)a(sss)",
                ".RemoveImage method s -", ".SetImageLimit method st -", ".SetPoolLimit method t -",
                ".PoolLimit property t 18446744073709551615", ".PoolPath property s \"/var/lib/portables\"",
                ".PoolUsage property t 18446744073709551615",
            ] {
                #expect(rows.contains(expected), "missing \(expected) in \(result.stdout)")
            }
            #expect(rows.filter { $0.contains(" method ") }.count == 17 + 6, "\(result.stdout)")
        }
    }

    @Test func portablectlAttachesListsAndDetachesThroughTheBus() throws {
        try BusHarness.with { harness in
            harness.makeImage("demo_1")
            let list = try harness.portablectl(["list"])
            #expect(list.status == 0, "\(list)")
            #expect(list.stdout.contains("demo_1 directory no"), "\(list)")
            #expect(list.stdout.contains("1 images listed."), "\(list)")

            let attach = try harness.portablectl(["attach", "--no-reload", "--copy=copy", "demo_1"])
            #expect(attach.status == 0, "\(attach)")
            #expect(attach.stderr.contains("etc/systemd/system.attached/demo.service.d/20-portable.conf."), "\(attach)")
            #expect(FileManager.default.fileExists(atPath: harness.root + "/etc/systemd/system.attached/demo.socket"))

            let state = try harness.portablectl(["is-attached", "demo_1"])
            #expect(state.stdout == "attached\n", "\(state)")
            let again = try harness.portablectl(["attach", "--no-reload", "demo_1"])
            #expect(again.status == 1)
            #expect(again.stderr.contains("Unit file 'demo.service' exists on the host already, refusing."), "\(again)")

            let inspect = try harness.portablectl(["inspect", "demo_1"])
            #expect(inspect.stdout.contains("Operating System:\n\tDemo 1\n"), "\(inspect)")
            #expect(inspect.stdout.contains("Unit files:\n\tdemo.service\n\tdemo.socket\n"), "\(inspect)")

            let detach = try harness.portablectl(["detach", "--no-reload", "demo_1"])
            #expect(detach.status == 0, "\(detach)")
            #expect(detach.stderr.contains("Removed "), "\(detach)")
            #expect(!FileManager.default.fileExists(atPath: harness.root + "/etc/systemd/system.attached/demo.service"))
            let notAttached = try harness.portablectl(["detach", "--no-reload", "demo_1"])
            #expect(
                notAttached.stderr.contains(
                    "No unit files associated with 'demo_1' found attached to the system. Image not attached?"
                ),
                "\(notAttached)"
            )
        }
    }

    @Test func badInputGetsPortabledsErrorsAndTheServiceStaysUp() throws {
        try BusHarness.with { harness in
            harness.makeImage("demo_1")
            let cases: [([String], String)] = [
                (["GetImage", "s", "nope"], "No image 'nope' found."),
                (["GetImage", "s", "/a/b"], "Expected image name, not path in place of '/a/b'."),
                (["GetImageStateWithExtensions", "sast", "demo_1", "0", "1"], "Invalid 'flags' parameter '1'"),
                (
                    ["AttachImageWithExtensions", "sasassst", "demo_1", "0", "0", "default", "", "8"],
                    "Invalid 'flags' parameter '8'"
                ),
                (["AttachImage", "sassbs", "demo_1", "0", "default", "false", "bogus"], "Unknown copy mode 'bogus'"),
                (
                    ["AttachImage", "sassbs", "/a/../b", "0", "default", "false", ""],
                    "Image path '/a/../b' is not normalized."
                ),
                (
                    ["AttachImage", "sassbs", "a/b", "0", "default", "false", ""],
                    "Image name 'a/b' is not valid or not a valid path."
                ),
                (
                    ["AttachImage", "s", "x"],
                    "Invalid arguments 's' to call org.freedesktop.portable1.Manager.AttachImage(), expecting 'sassbs'."
                ),
                (["Bogus"], "Unknown method Bogus or interface org.freedesktop.portable1.Manager."),
                (["SetPoolLimit", "t", "5"], "Quota is only supported on btrfs."),
                (["SetImageLimit", "st", "demo_1", "5"], "Operation not supported"),
            ]
            for (arguments, message) in cases {
                let result = try harness.busctl(["call"] + Self.manager + arguments)
                #expect(result.status != 0, "\(arguments): \(result)")
                #expect(result.stderr.contains(message), "\(arguments): \(result)")
            }
            let huge = try harness.busctl(
                ["call"] + Self.manager + ["GetImageMetadata", "sas", "demo_1", "20000"] + (0..<20_000).map { "m\($0)" }
            )
            #expect(huge.stderr.contains("Couldn't find any matching unit files") || huge.status == 0, "\(huge.stderr)")
            let list = try harness.busctl(["call"] + Self.manager + ["ListImages"])
            #expect(list.stdout.contains("\"demo_1\" \"directory\" false"), "\(list)")
            #expect(list.stdout.contains("\"/org/freedesktop/portable1/image/demo_5f1\""), "\(list)")
        }
    }

    @Test func imageObjectsAnswerTheirPropertiesAndMethods() throws {
        try BusHarness.with { harness in
            harness.makeImage("demo_1")
            let object = [
                "org.freedesktop.portable1", "/org/freedesktop/portable1/image/demo_5f1",
                "org.freedesktop.portable1.Image",
            ]
            let type = try harness.busctl(["get-property"] + object + ["Type", "Name"])
            #expect(type.stdout == "s \"directory\"\ns \"demo_1\"\n", "\(type)")
            let state = try harness.busctl(["call"] + object + ["GetState"])
            #expect(state.stdout == "s \"detached\"\n", "\(state)")
            let tree = try harness.busctl(["tree", "org.freedesktop.portable1"])
            #expect(tree.stdout.contains("/org/freedesktop/portable1/image/demo_5f1"), "\(tree)")
            #expect(tree.stdout.contains("/org/freedesktop/LogControl1"), "\(tree)")
            let missing = try harness.busctl([
                "call", "org.freedesktop.portable1", "/org/freedesktop/portable1/image/nope",
                "org.freedesktop.portable1.Image", "GetState",
            ])
            #expect(missing.stderr.contains("No image 'nope' found."), "\(missing)")
        }
    }

    @Test func nonRootCallersMayReadButNotAttach() throws {
        try BusHarness.with { harness in
            harness.makeImage("demo_1")
            let list = try harness.busctl(["call"] + Self.manager + ["ListImages"], uid: 65_534)
            #expect(list.status == 0, "\(list)")
            let attach = try harness.busctl(
                ["call"] + Self.manager + ["AttachImage", "sassbs", "demo_1", "0", "default", "false", ""],
                uid: 65_534
            )
            #expect(attach.status != 0)
            #expect(attach.stderr.contains("Access denied"), "\(attach)")
            #expect(!FileManager.default.fileExists(atPath: harness.root + "/etc/systemd/system.attached"))
        }
    }

    @Test func busLabelsEscapeAsSystemdDoes() {
        #expect(BusLabel.escape("minimal_1") == "minimal_5f1")
        #expect(BusLabel.escape("") == "_")
        #expect(BusLabel.unescape("minimal_5f1") == "minimal_1")
        #expect(BusLabel.unescape("_") == "")
        #expect(BusLabel.unescape("bad_z") == nil)
    }
}
