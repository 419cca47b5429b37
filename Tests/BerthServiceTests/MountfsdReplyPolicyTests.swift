import DiskImage
import Foundation
import PortableEngine
import SystemCalls
import TestSupport
import Testing
import VarlinkJSON

@testable import BerthService

/// systemd-mountfsd's MountImage replies, as JSON text shaped as mountfsd 262 writes them (the reply is
/// data: the kernel's part, the mount, is checked in the 262 lab), turned into the opener's partitions
/// and `RootImagePolicy=`. The images whose headers the opener reads are built here for real.
@Suite("mountfsd replies: exact sizes and the pinned policy")
struct MountfsdReplyPolicyTests {
    /// A MountImage reply with these partition entries, with the top-level fields mountfsd 262 adds.
    static func reply(_ entries: [String]) throws -> JSONObject {
        let text =
            "{\"partitions\":[\(entries.joined(separator: ","))],\"singleFileSystem\":\(entries.count == 1),"
            + "\"imagePolicy\":\"root=verity+signed+encrypted+unprotected+absent:=ignore\","
            + "\"imageSize\":8388608,\"sectorSize\":512}"
        return try #require(try JSONParser.parse(text).objectValue)
    }

    /// The one partition of a reply with just `entry`.
    static func root(_ entry: String) throws -> MountfsdPartition {
        try MountfsdPartition.partitions(in: reply([entry]))[0]
    }

    /// mountfsd's entry for a mounted root partition; `extra` holds the optional fields (GPT only).
    static func entry(size: String, offset: String = "0", extra: String = "", fileSystem: String = "squashfs") -> String
    {
        "{\"designator\":\"root\",\"writable\":false,\"growFileSystem\":false,\(extra)"
            + "\"fileSystemType\":\"\(fileSystem)\",\"size\":\(size),\"offset\":\(offset),"
            + "\"mountFileDescriptor\":0,\"mountPoint\":[\"/\"]}"
    }

    @Test("sizes are unsigned 64-bit, read exactly; UINT64_MAX and -1 are unknown")
    func exactSizes() throws {
        let bare = try MountfsdPartition.partitions(in: Self.reply([Self.entry(size: "18446744073709551615")]))
        #expect(bare.count == 1)
        #expect(bare[0].size == nil && bare[0].offset == 0)
        // Through a Double both would round, to 2^64 and 2^63.
        let large = try MountfsdPartition.partitions(
            in: Self.reply([Self.entry(size: "18446744073709551614", offset: "9223372036854775808")])
        )
        #expect(large[0].size == 18_446_744_073_709_551_614 && large[0].offset == 9_223_372_036_854_775_808)
        // Older mountfsd sent UINT64_MAX through a signed JSON builder.
        let legacy = try MountfsdPartition.partitions(in: Self.reply([Self.entry(size: "-1")]))
        #expect(legacy[0].size == nil)
        for (bad, reason) in [
            ("-2", "not a byte count"), ("4096.5", "not a byte count"), ("\"4096\"", "not a byte count"),
        ] {
            #expect(throws: MountfsdReplyError(field: "partitions[0].size", reason: reason)) {
                _ = try MountfsdPartition.partitions(in: Self.reply([Self.entry(size: bad)]))
            }
        }
        #expect(throws: MountfsdReplyError(field: "partitions", reason: "missing or not an array")) {
            _ = try MountfsdPartition.partitions(in: ["imagePolicy": "x"])
        }
    }

    @Test("without readable headers the reply alone is pinned, in the same forms")
    func replyAlone() throws {
        let bare = try Self.root(Self.entry(size: "18446744073709551615"))
        #expect(
            try MountfsdImageOpener.pinnedPolicy(bare, headers: nil, image: "/i.raw").text == "root=squashfs:=absent"
        )
        var ext4 = try MountfsdPartition.partitions(
            in: Self.reply([
                Self.entry(size: "4194304", offset: "1048576", extra: "\"partitionNumber\":1,", fileSystem: "ext4")
            ])
        )[0]
        ext4.info.writable = true
        ext4.info.growFileSystem = true
        #expect(
            try MountfsdImageOpener.pinnedPolicy(ext4, headers: nil, image: "/i.raw").text
                == "root=read-only-off+growfs-on+ext4:=absent"
        )
        ext4.info.fileSystemType = "squashfs"
        #expect(
            try MountfsdImageOpener.pinnedPolicy(ext4, headers: nil, image: "/i.raw").text
                == "root=read-only-on+growfs-off+squashfs:=absent",
            "squashfs is read-only whatever the GPT flag says"
        )
    }

    @Test(
        "a bare squashfs: size UINT64_MAX, pinned as portabled 262 pins it",
        .enabled(if: RawImageTools.isInstalled("mksquashfs"), "needs mksquashfs to build the image")
    )
    func bareFileSystem() throws {
        let directory = TempDirectory(prefix: "berth-mountfsd-bare")
        try RawImageTools.makeTree(at: directory.join("tree"))
        let image = directory.join("app.raw")
        try RawImageTools.run("mksquashfs", [directory.join("tree"), image, "-noappend", "-quiet", "-all-root"])
        let headers = try Self.headers(of: image)
        let root = try Self.root(Self.entry(size: "18446744073709551615"))
        #expect(
            try MountfsdImageOpener.pinnedPolicy(root, headers: headers, image: image).text == "root=squashfs:=absent"
        )
        let gpt = try MountfsdPartition.partitions(
            in: Self.reply([Self.entry(size: "4194304", offset: "1048576", extra: "\"partitionNumber\":1,")])
        )[0]
        #expect(
            throws: PortableError.badImage(
                image: image,
                reason: "systemd-mountfsd mounted partition 1 (offset 1048576, 4194304 bytes) as the root file "
                    + "system, but the image's headers name a file system without partition table (was the image "
                    + "changed while it was being opened?)",
                file: nil
            )
        ) { _ = try MountfsdImageOpener.pinnedPolicy(gpt, headers: headers, image: image) }
    }

    @Test(
        "GPT root + root-verity + root-verity-sig: the verity partitions are pinned as Berth's own dissection pins them",
        .enabled(if: VerityDisk.toolsInstalled, "needs mksquashfs, veritysetup and openssl to build the image")
    )
    func verityPartitions() throws {
        let disk = try VerityDisk()
        let expected =
            "root=signed+read-only-on+growfs-off+squashfs:root-verity=read-only-on+growfs-off:"
            + "root-verity-sig=read-only-on+growfs-off:=absent"
        // mountfsd lists the partitions it mounted: the root, never its verity or signature partition.
        let root = try Self.root(disk.rootEntry(number: 1, size: disk.dataSize))
        #expect(try MountfsdImageOpener.pinnedPolicy(root, headers: disk.headers, image: disk.path).text == expected)

        let moved = try Self.root(disk.rootEntry(number: 2, size: disk.dataSize))
        let resized = try Self.root(disk.rootEntry(number: 1, size: disk.dataSize + 512))
        for other in [moved, resized] {
            #expect(
                throws: PortableError.badImage(
                    image: disk.path,
                    reason: "systemd-mountfsd mounted \(other.place) as the root file system, but the image's headers "
                        + "name partition 1 (offset 1048576, \(disk.dataSize) bytes) (was the image changed while it "
                        + "was being opened?)",
                    file: nil
                )
            ) { _ = try MountfsdImageOpener.pinnedPolicy(other, headers: disk.headers, image: disk.path) }
        }
    }

    @Test(
        "the same GPT verity image opened by the system scope's opener gets the same pin",
        .enabled(if: VerityDisk.toolsInstalled, "needs mksquashfs, veritysetup and openssl to build the image"),
        .enabled(if: RawImageTools.canUseLoopDevices, "needs root and /dev/loop-control to open the image")
    )
    func sameAsSystemScope() throws {
        let disk = try VerityDisk()
        let file = try FileDescriptor.currentWorkingDirectory.openat(disk.path, flags: [.readOnly])
        defer { file.close() }
        let handle = try DiskImageOpener().openRawImage(
            file: file,
            path: disk.path,
            machinePath: disk.path,
            kind: .raw,
            key: nil,
            allowInteractiveAuthentication: false
        )
        defer {
            handle.rootDirectory.close()
            handle.release()
        }
        let root = try Self.root(disk.rootEntry(number: 1, size: disk.dataSize))
        let throughMountfsd = try MountfsdImageOpener.pinnedPolicy(root, headers: disk.headers, image: disk.path)
        #expect(handle.pinnedPolicy == throughMountfsd.text)
        withExtendedLifetime(disk) {}
    }

    static func headers(of image: String) throws -> ImageProbe {
        let file = try FileDescriptor.currentWorkingDirectory.openat(image, flags: [.readOnly])
        defer { file.close() }
        return try #require(DiskImageOpener().probeHeaders(file: file, path: image, machinePath: image))
    }
}
