import Foundation
import Synchronization
import SystemCalls
import Systemd
import TestSupport
import Testing

/// Hostile D-Bus input gets the error systemd-portabled sends (name and text), never a crash or a
/// hang, and the Varlink front door of the same service keeps answering meanwhile.
@Suite(.serialized)
struct BusBadInputTests {
    /// The reply's error name and message, or nil when the call succeeded.
    private func failure(
        _ harness: BusHarness,
        _ member: String,
        _ arguments: [BusValue],
        path: String = "/org/freedesktop/portable1",
        interface: String = "org.freedesktop.portable1.Manager"
    ) -> (name: String, message: String)? {
        do {
            _ = try BusMethodCall.call(
                address: harness.address,
                destination: "org.freedesktop.portable1",
                path: path,
                interface: interface,
                member: member,
                arguments: arguments,
                timeout: .seconds(60)
            )
            return nil
        } catch .busCall(_, let name, let message) {
            return (name, message)
        } catch {
            return ("not a D-Bus error: \(error)", "")
        }
    }

    private func attachArguments(_ image: String, copyMode: String = "") -> [BusValue] {
        [.string(image), .strings([]), .string("default"), .boolean(false), .string(copyMode)]
    }

    private func expectVarlinkServed(_ harness: BusHarness, _ context: String) throws {
        let list = try harness.varlinkCall("ListImages")
        #expect(list.contains("\"name\":\"demo_1\""), "Varlink after \(context): \(list)")
    }

    @Test func eachBadInputGetsPortabledsError() throws {
        try BusHarness.with { harness in
            harness.makeImage("demo_1")
            // In the served tree: the service resolves absolute paths inside its root.
            try FileManager.default.createDirectory(atPath: harness.root + "/srv", withIntermediateDirectories: true)
            let fifo = "/srv/fifo"
            let device = "/srv/null"
            #expect(mkfifo(harness.root + fifo, 0o644) == 0)
            #expect(mknod(harness.root + device, S_IFCHR | 0o666, (1 << 8) | 3) == 0)
            let invalidArgs = "org.freedesktop.DBus.Error.InvalidArgs"
            let badImageType = "org.freedesktop.portable1.BadImageType"
            let cases: [(String, [BusValue], String, String)] = [
                // Wrong signatures.
                (
                    "GetImageState", [.uint32(5)], invalidArgs,
                    "Invalid arguments 'u' to call org.freedesktop.portable1.Manager.GetImageState(), expecting 's'."
                ),
                (
                    "AttachImage", [.string("demo_1")], invalidArgs,
                    "Invalid arguments 's' to call org.freedesktop.portable1.Manager.AttachImage(), expecting 'sassbs'."
                ),
                // Unknown flag bits.
                (
                    "AttachImageWithExtensions",
                    [.string("demo_1"), .strings([]), .strings([]), .string(""), .string(""), .uint64(1 << 3)],
                    invalidArgs, "Invalid 'flags' parameter '8'"
                ),
                (
                    "DetachImageWithExtensions", [.string("demo_1"), .strings([]), .uint64(1 << 40)], invalidArgs,
                    "Invalid 'flags' parameter '1099511627776'"
                ),
                (
                    "GetImageMetadataWithExtensions", [.string("demo_1"), .strings([]), .strings([]), .uint64(16)],
                    invalidArgs, "Invalid 'flags' parameter '16'"
                ),
                // Invalid copy modes.
                (
                    "AttachImage", attachArguments("demo_1", copyMode: "hardlink"), invalidArgs,
                    "Unknown copy mode 'hardlink'"
                ),
                // Names with '/' or '..'.
                (
                    "AttachImage", attachArguments("a/b"), invalidArgs,
                    "Image name 'a/b' is not valid or not a valid path."
                ),
                (
                    "AttachImage", attachArguments(".."), invalidArgs,
                    "Image name '..' is not valid or not a valid path."
                ),
                ("AttachImage", attachArguments("/a/../b"), invalidArgs, "Image path '/a/../b' is not normalized."),
                ("GetImage", [.string("../x")], invalidArgs, "Expected image name, not path in place of '../x'."),
                // FIFOs and devices are no image type portabled knows, and opening them must not block.
                (
                    "GetImageMetadata", [.string(fifo), .strings([])], badImageType,
                    "Type of image '\(fifo)' not recognized"
                ),
                ("AttachImage", attachArguments(fifo), badImageType, "Type of image '\(fifo)' not recognized"),
                ("GetImageOSRelease", [.string(device)], badImageType, "Type of image '\(device)' not recognized"),
            ]
            for (member, arguments, name, message) in cases {
                let reply = failure(harness, member, arguments)
                #expect(reply?.name == name, "\(member) \(arguments): \(String(describing: reply))")
                #expect(
                    reply?.message.hasPrefix(message) == true,
                    "\(member) \(arguments): \(String(describing: reply))"
                )
                try expectVarlinkServed(harness, member)
            }
            #expect(!FileManager.default.fileExists(atPath: harness.root + "/etc/systemd/system.attached"))
        }
    }

    /// portabled's errno replies (sd_bus_error_set_errnof, or a bare errno named by sd-bus), not InvalidArgs.
    @Test func releaseFileFailuresAreErrnoRepliesAsPortabledSends() throws {
        try BusHarness.with { harness in
            harness.makeImage("demo_1")
            func write(_ text: String, _ path: String) throws {
                let url = URL(fileURLWithPath: harness.root + path)
                try FileManager.default.createDirectory(
                    at: url.deletingLastPathComponent(),
                    withIntermediateDirectories: true
                )
                try Data(text.utf8).write(to: url)
            }
            try write("NAME=nothing\n", "/var/lib/portables/noid/usr/lib/os-release")
            try write("[Service]\nExecStart=/x\n", "/var/lib/portables/noid/usr/lib/systemd/system/noid.service")
            try write("ID=other\n", "/srv/ext/usr/lib/extension-release.d/extension-release.ext")
            try write("[Service]\nExecStart=/x\n", "/srv/norelease/usr/lib/systemd/system/demo-x.service")
            let withExtension: (String) -> [BusValue] = { ext in
                [.string("demo_1"), .strings([ext]), .strings([]), .string(""), .string(""), .uint64(0)]
            }
            let cases: [(String, [BusValue], String, String)] = [
                (
                    "AttachImage", attachArguments("noid"), "System.Error.ESTALE",
                    "Image /var/lib/portables/noid os-release metadata lacks the ID field"
                ),
                (
                    "AttachImageWithExtensions", withExtension("/srv/ext"), "System.Error.ESTALE",
                    "Image /srv/ext extension-release metadata does not match the root's"
                ),
                (
                    "AttachImageWithExtensions", withExtension("/srv/norelease"),
                    "org.freedesktop.DBus.Error.FileNotFound", "No such file or directory"
                ),
            ]
            for (member, arguments, name, message) in cases {
                let reply = failure(harness, member, arguments)
                #expect(reply?.name == name, "\(member) \(arguments): \(String(describing: reply))")
                #expect(reply?.message == message, "\(member) \(arguments): \(String(describing: reply))")
            }
            #expect(!FileManager.default.fileExists(atPath: harness.root + "/etc/systemd/system.attached/noid.service"))
        }
    }

    @Test func hugeArraysAreRefusedOrServedWhileVarlinkKeepsAnswering() throws {
        try BusHarness.with { harness in
            harness.makeImage("demo_1")
            // More elements than a message may carry (BusValueCoding's budget): refused as InvalidArgs.
            let tooMany = BusValue.strings((0..<1_100_000).map { _ in "m" })
            let done = DispatchSemaphore(value: 0)
            let result = Lock<(name: String, message: String)??>(nil)
            Thread.detachNewThread {
                let reply = self.failure(harness, "GetImageMetadata", [.string("demo_1"), tooMany])
                result.withLock { $0 = .some(reply) }
                done.signal()
            }
            try expectVarlinkServed(harness, "a huge array in flight")
            #expect(done.wait(timeout: .now() + 120) == .success, "the huge call must be answered")
            let reply = result.withLock { $0 } ?? nil
            #expect(reply?.name == "org.freedesktop.DBus.Error.InvalidArgs", "\(String(describing: reply))")

            // Many matches within the budget: an answer (no unit matches them), not a stall.
            let many = failure(
                harness,
                "GetImageMetadata",
                [.string("demo_1"), .strings((0..<50_000).map { "m\($0)" })]
            )
            #expect(
                many?.name == "org.freedesktop.portable1.NoMatchingUnitFiles" || many == nil,
                "\(String(describing: many))"
            )
            try expectVarlinkServed(harness, "many matches")
        }
    }
}
