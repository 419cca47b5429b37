import BerthDBus
import Foundation
import SystemCalls
import Systemd
import TestSupport
import Testing

/// ListImages' reply is written straight into the message, field by field: its content must stay
/// exactly portabled's `a(ssbtttso)` — names whose object paths need escaping, unknown times as 0,
/// unknown sizes as UINT64_MAX, read-only images, a raw image, every state spelled with `-`.
@Suite(.serialized)
struct ListImagesReplyTests {
    @Test func theWrittenReplyHoldsEveryImageAsPortabledSpellsIt() throws {
        try BusHarness.with { harness in
            let pool = harness.root + "/var/lib/portables"
            harness.makeImage("demo_1")
            harness.makeImage("other-2.x", units: ["other.service"])
            harness.makeImage(".hidden")
            // A raw image nobody may write: read-only, with its blocks as usage and a known mtime.
            let raw = pool + "/disk.raw"
            try Data(repeating: 0xAA, count: 65_536).write(to: URL(fileURLWithPath: raw))
            var times = [timespec(tv_sec: 1_700_000_000, tv_nsec: 250_000_000)]
            times.append(times[0])
            #expect(utimensat(AT_FDCWD, raw, times, 0) == 0)
            chmod(raw, 0o444)
            var rawStatus = stat()
            #expect(stat(raw, &rawStatus) == 0)

            let attach = try harness.portablectl(["attach", "--no-reload", "--copy=copy", "demo_1"])
            #expect(attach.status == 0, "\(attach)")
            let runtime = try harness.portablectl([
                "attach", "--runtime", "--no-reload", "--copy=copy", "other-2.x", "other",
            ])
            #expect(runtime.status == 0, "\(runtime)")

            /// Birth time in µs as the file system reports it, 0 where it records none.
            func created(_ name: String) throws -> UInt64 {
                try FileDescriptor.currentWorkingDirectory.extendedStatus(of: pool + "/" + name).birthTimeMicroseconds
                    ?? 0
            }
            let prefix = "/org/freedesktop/portable1/image/"
            let expected: [BusValue] = [
                .structure([
                    .string(".hidden"), .string("directory"), .boolean(true), .uint64(try created(".hidden")),
                    .uint64(0), .uint64(.max), .string("detached"), .objectPath(prefix + "_2ehidden"),
                ]),
                .structure([
                    .string("demo_1"), .string("directory"), .boolean(false), .uint64(try created("demo_1")),
                    .uint64(0), .uint64(.max), .string("attached"), .objectPath(prefix + "demo_5f1"),
                ]),
                .structure([
                    .string("disk"), .string("raw"), .boolean(true), .uint64(try created("disk.raw")),
                    .uint64(1_700_000_000_250_000), .uint64(UInt64(rawStatus.st_blocks) * 512), .string("detached"),
                    .objectPath(prefix + "disk"),
                ]),
                .structure([
                    .string("other-2.x"), .string("directory"), .boolean(false), .uint64(try created("other-2.x")),
                    .uint64(0), .uint64(.max), .string("attached-runtime"), .objectPath(prefix + "other_2d2_2ex"),
                ]),
            ]
            let reply = try listImages(harness)
            #expect(reply == [.array(element: "(ssbtttso)", expected)])

            // The object paths it hands out are the image objects themselves.
            let name = try harness.busctl([
                "get-property", "org.freedesktop.portable1", prefix + "other_2d2_2ex",
                "org.freedesktop.portable1.Image", "Name",
            ])
            #expect(name.stdout == "s \"other-2.x\"\n", "\(name)")
        }
    }

    @Test func anEmptyPoolIsAnEmptyArray() throws {
        try BusHarness.with { harness in
            let reply = try listImages(harness)
            #expect(reply == [.array(element: "(ssbtttso)", [])])
        }
    }

    @Test func argumentsAreRefusedAsForEveryMethod() throws {
        try BusHarness.with { harness in
            let result = try harness.busctl([
                "call", "org.freedesktop.portable1", "/org/freedesktop/portable1", "org.freedesktop.portable1.Manager",
                "ListImages", "s", "extra",
            ])
            #expect(result.status != 0)
            #expect(
                result.stderr.contains(
                    "Invalid arguments 's' to call org.freedesktop.portable1.Manager.ListImages(), expecting ''."
                ),
                "\(result)"
            )
        }
    }

    @Test func objectPathsAreBuiltInOneBufferAsLabelsEscape() {
        for name in ["", "a", "demo_1", "other-2.x", ".hidden", "ünï", String(repeating: "x.", count: 200)] {
            let path = BusLabel.withObjectPath(prefix: "/p/image", name) { String(cString: $0) }
            #expect(path == "/p/image/" + BusLabel.escape(name))
        }
        #expect(BusLabel.withObjectPath(prefix: "/p", "") { String(cString: $0) } == "/p/_")
        #expect(BusLabel.withObjectPath(prefix: "/p", "a.b") { String(cString: $0) } == "/p/a_2eb")
    }

    /// The Manager's ListImages reply, through the bus like any client.
    private func listImages(_ harness: BusHarness) throws -> [BusValue] {
        try BusMethodCall.call(
            address: harness.address,
            destination: "org.freedesktop.portable1",
            path: "/org/freedesktop/portable1",
            interface: "org.freedesktop.portable1.Manager",
            member: "ListImages",
            arguments: []
        )
    }
}
