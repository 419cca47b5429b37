import DiskImage
import Foundation
import SystemCalls
import TestSupport
import Testing

@Suite(
    "dm-verity verified in userspace before use",
    .enabled(if: loopDevicesAvailable, "needs root and /dev/loop-control")
)
struct VerityTests {
    /// squashfs image + `.verity` + `.roothash` sidecars.
    func sidecarImage(_ fixture: RawFixture) throws -> (image: String, rootHash: String) {
        let image = try fixture.squashfs("app.raw")
        let rootHash = try fixture.verityFormat(data: image, hash: fixture.path("app.verity"))
        try rootHash.write(toFile: fixture.path("app.roothash"), atomically: false, encoding: .utf8)
        return (image, rootHash)
    }

    @Test func sidecarVerityIsVerifiedThenCached() throws {
        let fixture = try RawFixture()
        let (path, rootHash) = try sidecarImage(fixture)
        let cache = VerityCache()
        var options = RawImageOptions()
        options.verityCache = cache
        let first = try RawImage.open(path, options: options)
        #expect(first.summary.verity?.rootHash == rootHash)
        #expect(first.summary.verity?.origin == .sidecar)
        #expect(first.summary.verity?.fromCache == false)
        #expect(first.summary.verity?.signaturePresent == false)
        #expect(try readInImage(first, "etc/marker") == "hello")
        first.close()
        let second = try RawImage.open(path, options: options)
        #expect(second.summary.verity?.fromCache == true)
        second.close()
        #expect(cache.count == 1)
        fixture.expectNothingLeftBehind()
    }

    @Test func wrongRootHashIsRefused() throws {
        let fixture = try RawFixture()
        let (path, rootHash) = try sidecarImage(fixture)
        let wrong = String(rootHash.reversed())
        try wrong.write(toFile: fixture.path("app.roothash"), atomically: false, encoding: .utf8)
        var options = RawImageOptions()
        options.verityCache = nil
        let error = expectImageError("VerityVerificationFailed") { _ = try RawImage.open(path, options: options) }
        #expect(error?.description.contains(path) == true)
        fixture.expectNothingLeftBehind()
    }

    @Test func garbageRootHashSidecarIsRefused() throws {
        let fixture = try RawFixture()
        let (path, _) = try sidecarImage(fixture)
        try "not hex at all".write(toFile: fixture.path("app.roothash"), atomically: false, encoding: .utf8)
        expectImageError("InvalidRootHash") { _ = try RawImage.open(path) }
        fixture.expectNothingLeftBehind()
    }

    @Test func corruptedHashTreeIsRefused() throws {
        let fixture = try RawFixture()
        let (path, _) = try sidecarImage(fixture)
        var tree = try fixture.read(fixture.path("app.verity"))
        tree[4096 + 5] ^= 0xFF  // first hash block after the superblock
        _ = try fixture.write(tree, to: "app.verity")
        var options = RawImageOptions()
        options.verityCache = nil
        expectImageError("VerityVerificationFailed") { _ = try RawImage.open(path, options: options) }
        fixture.expectNothingLeftBehind()
    }

    @Test func corruptedDataIsRefusedAndCacheDoesNotHide() throws {
        let fixture = try RawFixture()
        let (path, _) = try sidecarImage(fixture)
        let cache = VerityCache()
        var options = RawImageOptions()
        options.verityCache = cache
        try RawImage.open(path, options: options).close()
        var data = try fixture.read(path)
        data[data.count - 100] ^= 0x01  // flip a bit in the last data block (padding area included in verity)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seek(toOffset: UInt64(data.count - 100))
        handle.write(Data([data[data.count - 100]]))
        try handle.close()
        expectImageError("VerityVerificationFailed") { _ = try RawImage.open(path, options: options) }
        fixture.expectNothingLeftBehind()
    }

    /// portabled (257 and 262) attaches a squashfs with only a `.roothash` sidecar; 262 pins
    /// `root=verity+squashfs:=absent` (and PID 1 refuses to start it), 257 starts it unverified.
    @Test func rootHashWithoutHashTreeIsUsedUnverifiedButPinned() throws {
        let fixture = try RawFixture()
        let (path, _) = try sidecarImage(fixture)
        try FileManager.default.removeItem(atPath: fixture.path("app.verity"))
        let image = try RawImage.open(path)
        #expect(image.summary.verity == nil)
        #expect(image.summary.pinnedImagePolicy == "root=verity+squashfs:=absent")
        image.close()
        // Verity demanded: refused.
        var required = RawImageOptions()
        required.requireVerity = true
        expectImageError("VerityDataMissing") { _ = try RawImage.open(path, options: required) }
        var options = RawImageOptions()
        options.useVeritySidecars = false
        options.requireVerity = true
        expectImageError("VerityDataMissing") { _ = try RawImage.open(path, options: options) }
        fixture.expectNothingLeftBehind()
    }

    /// A signature sidecar is checked, not just reported (VeritySignatureTests has the valid cases).
    @Test func signatureSidecarIsCheckedNotJustReported() throws {
        let fixture = try RawFixture()
        let (path, _) = try sidecarImage(fixture)
        _ = FileManager.default.createFile(atPath: fixture.path("app.roothash.p7s"), contents: Data([0x30]))
        let error = expectImageError("VeritySignatureInvalid") { _ = try RawImage.open(path) }
        #expect(error?.description.contains("app.roothash.p7s is not a DER-encoded PKCS#7") == true)
        fixture.expectNothingLeftBehind()
    }

    /// GPT with root + root-verity partitions whose UUIDs carry the root hash (as systemd-repart writes).
    /// For `.usr` the image is /usr-only (sysext style): mounted at `/usr` under an empty read-only root.
    @Test(arguments: [PartitionDesignator.root, .usr])
    func gptVerityFromPartitionUUIDs(_ designator: PartitionDesignator) throws {
        let fixture = try RawFixture()
        let data = try fixture.squashfs("fs.sqsh")
        // Pad the data to 4 KiB blocks so the partition holds exactly the verity-protected blocks.
        var bytes = try fixture.read(data)
        bytes += [UInt8](repeating: 0, count: (4096 - bytes.count % 4096) % 4096)
        _ = try fixture.write(bytes, to: "fs.sqsh")
        let rootHash = try fixture.verityFormat(data: data, hash: fixture.path("fs.verity"))
        let tree = try fixture.read(fixture.path("fs.verity"))
        func uuid(_ hex: Substring) -> String {
            let h = Array(hex)
            return String(h[0..<8]) + "-" + String(h[8..<12]) + "-" + String(h[12..<16]) + "-" + String(h[16..<20])
                + "-"
                + String(h[20..<32])
        }
        let dataSectors = UInt64(bytes.count / 512)
        let treeSectors = UInt64((tree.count + 4095) / 4096 * 8)
        var builder = RawGPTBuilder(totalSectors: 2048 + dataSectors + treeSectors + 2048)
        builder.partitions = [
            .init(
                type: PartitionType.uuid(for: designator, architecture: .native)!.description,
                uuid: uuid(rootHash.prefix(32)),
                firstLBA: 2048,
                sectors: dataSectors,
                attributes: 1 << 60,
                contents: bytes
            ),
            .init(
                type: PartitionType.uuid(for: designator.verityCompanion!, architecture: .native)!.description,
                uuid: uuid(rootHash.dropFirst(32).prefix(32)),
                firstLBA: 2048 + dataSectors,
                sectors: treeSectors,
                attributes: 1 << 60,
                contents: tree
            ),
        ]
        let path = try fixture.write(builder.build(), to: "verity-gpt.raw")
        var options = RawImageOptions()
        options.verityCache = nil
        let image = try RawImage.open(path, options: options)
        #expect(image.summary.verity?.origin == .partitionUUIDs)
        #expect(image.summary.verity?.rootHash == rootHash)
        #expect(image.summary.verity?.hashSource == .partition(number: 2))
        #expect(image.summary.mountedDesignator == designator)
        if designator == .usr {
            // The usr file system's own tree appears below /usr.
            #expect(try readInImage(image, "/usr/etc/marker") == "hello")
            #expect(try readInImage(image, "/usr/usr/lib/os-release").contains("ID=debian"))
            #expect(
                image.summary.pinnedImagePolicy
                    == "usr=verity+read-only-on+growfs-off+squashfs:usr-verity=read-only-on+growfs-off:=absent"
            )
            let root = try #require(image.rootDirectory)
            #expect(try root.directoryEntries().map(\.name) == ["usr"])
            let error = #expect(throws: SystemCallError.self) { try root.makeDirectory("x") }
            #expect(error?.errno == EROFS, "\(String(describing: error))")
        } else {
            #expect(try readInImage(image, "etc/marker") == "hello")
            // portabled 262 for the same layout (root + root-verity, read-only flags, UUIDs carrying the hash).
            #expect(
                image.summary.pinnedImagePolicy
                    == "root=verity+read-only-on+growfs-off+squashfs:root-verity=read-only-on+growfs-off:=absent"
            )
        }
        image.close()

        // Same image with one data byte changed: refused.
        var disk = try fixture.read(path)
        disk[2048 * 512 + 200] ^= 0x01
        _ = try fixture.write(disk, to: "verity-gpt.raw")
        expectImageError("VerityVerificationFailed") { _ = try RawImage.open(path, options: options) }
        fixture.expectNothingLeftBehind()
    }
}
