import DiskImage
import Foundation
import SystemCalls
import TestSupport
import Testing

/// `RootImagePolicy=` as systemd-portabled 262 pins it, image by image. Every expected string below is
/// what portabled 262 wrote into 20-portable.conf for an image built the same way in the lab
/// (sfdisk + mksquashfs/mkfs.ext4/veritysetup, `portablectl attach --now`).
@Suite(
    "Pinned image policy equals portabled 262's",
    .enabled(if: loopDevicesAvailable, "needs root and /dev/loop-control")
)
struct PinnedPolicyTests {
    struct GPTCase: CustomStringConvertible, Sendable {
        var fileSystem: FileSystemKind
        var designator: PartitionDesignator
        var attributes: UInt64
        var expected: String
        var description: String { "\(designator) \(fileSystem) attributes \(attributes >> 59) → \(expected)" }
    }

    static let readOnly: UInt64 = 1 << 60
    static let growFileSystem: UInt64 = 1 << 59

    static let gptCases: [GPTCase] = [
        // squashfs is read-only whatever the GPT says, and so never grows.
        .init(
            fileSystem: .squashfs,
            designator: .root,
            attributes: 0,
            expected: "root=read-only-on+growfs-off+squashfs:=absent"
        ),
        .init(
            fileSystem: .squashfs,
            designator: .root,
            attributes: growFileSystem,
            expected: "root=read-only-on+growfs-off+squashfs:=absent"
        ),
        .init(
            fileSystem: .squashfs,
            designator: .root,
            attributes: readOnly | growFileSystem,
            expected: "root=read-only-on+growfs-off+squashfs:=absent"
        ),
        .init(
            fileSystem: .ext4,
            designator: .root,
            attributes: 0,
            expected: "root=read-only-off+growfs-off+ext4:=absent"
        ),
        .init(
            fileSystem: .ext4,
            designator: .root,
            attributes: growFileSystem,
            expected: "root=read-only-off+growfs-on+ext4:=absent"
        ),
        .init(
            fileSystem: .ext4,
            designator: .root,
            attributes: readOnly,
            expected: "root=read-only-on+growfs-off+ext4:=absent"
        ),
        // The read-only flag wins over growfs.
        .init(
            fileSystem: .ext4,
            designator: .root,
            attributes: readOnly | growFileSystem,
            expected: "root=read-only-on+growfs-off+ext4:=absent"
        ),
        .init(
            fileSystem: .squashfs,
            designator: .usr,
            attributes: 0,
            expected: "usr=read-only-on+growfs-off+squashfs:=absent"
        ),
        .init(
            fileSystem: .squashfs,
            designator: .usr,
            attributes: readOnly,
            expected: "usr=read-only-on+growfs-off+squashfs:=absent"
        ),
    ]

    @Test(arguments: gptCases)
    func gptPartitionFlags(_ testCase: GPTCase) throws {
        let fixture = try RawFixture()
        let contents: [UInt8]
        switch testCase.fileSystem {
        case .ext4: contents = try fixture.read(try fixture.ext4("fs.img"))
        default: contents = try fixture.read(try fixture.squashfs("fs.img"))
        }
        let sectors = UInt64((contents.count + 511) / 512)
        var builder = RawGPTBuilder(totalSectors: 2048 + sectors + 2048)
        builder.partitions = [
            .init(
                type: PartitionType.uuid(for: testCase.designator, architecture: .native)!.description,
                uuid: "11111111-2222-4333-8444-555555555555",
                firstLBA: 2048,
                sectors: sectors,
                attributes: testCase.attributes,
                contents: contents
            )
        ]
        let path = try fixture.write(builder.build(), to: "gpt.raw")
        let image = try RawImage.open(path)
        #expect(image.summary.pinnedImagePolicy == testCase.expected)
        #expect(try Self.probedFacts(path) == image.summary.pinnedPolicyFacts)
        image.close()
        fixture.expectNothingLeftBehind()
    }

    @Test func bareFileSystemsPinNoPartitionFlags() throws {
        let fixture = try RawFixture()
        for (path, expected) in [
            (try fixture.squashfs("a.raw"), "root=squashfs:=absent"),
            (try fixture.erofs("b.raw"), "root=erofs:=absent"),
            (try fixture.ext4("c.raw"), "root=ext4:=absent"),
        ] {
            let image = try RawImage.open(path)
            #expect(image.summary.pinnedImagePolicy == expected)
            #expect(try Self.probedFacts(path) == image.summary.pinnedPolicyFacts)
            image.close()
        }
        fixture.expectNothingLeftBehind()
    }

    /// portabled 262 pins `signed` for `.roothash` + `.verity` sidecars, also without `.roothash.p7s`
    /// (and PID 1 then refuses to start it unless the hash is signed: "Operation not possible due to RF-kill").
    /// With a valid `.roothash.p7s` the pin is the same (VeritySignatureTests); a bad one refuses the image.
    @Test func sidecarVerityIsPinnedSigned() throws {
        let fixture = try RawFixture()
        let image = try fixture.squashfs("app.raw")
        let rootHash = try fixture.verityFormat(data: image, hash: fixture.path("app.verity"))
        try rootHash.write(toFile: fixture.path("app.roothash"), atomically: false, encoding: .utf8)
        var options = RawImageOptions()
        options.verityCache = nil
        let opened = try RawImage.open(image, options: options)
        #expect(opened.summary.pinnedImagePolicy == "root=signed+squashfs:=absent")
        #expect(try Self.probedFacts(image) == opened.summary.pinnedPolicyFacts)
        opened.close()
        fixture.expectNothingLeftBehind()
    }

    /// The facts from the headers alone (what the user scope's mountfsd opener pins from) are those of
    /// the opened image.
    static func probedFacts(_ path: String) throws -> PinnedImagePolicy {
        let file = try FileDescriptor.currentWorkingDirectory.openat(path, flags: [.readOnly])
        defer { file.close() }
        return try RawImage.probe(file: file, path: path).pinnedPolicy
    }
}
