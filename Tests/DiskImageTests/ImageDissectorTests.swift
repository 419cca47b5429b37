import DiskImage
import TestSupport
import Testing

@Suite("Choosing the root partition and verity plan (Discoverable Partitions Specification)")
struct ImageDissectorTests {
    static let squashfs = Array("hsqs".utf8) + [UInt8](repeating: 0, count: 60)
    static let rootHash = (0..<32).map { UInt8($0 * 7 & 0xFF) }

    static func uuidString(_ bytes: ArraySlice<UInt8>) -> String {
        GUID(canonicalBytes: Array(bytes))!.description
    }

    func disk(_ partitions: [RawGPTBuilder.Partition]) -> MemoryByteReader {
        var builder = RawGPTBuilder(totalSectors: 4096)
        builder.partitions = partitions
        return MemoryByteReader(builder.build())
    }

    func root(
        _ type: String,
        uuid: String = "11111111-2222-4333-8444-555555555555",
        at lba: UInt64 = 64
    ) -> RawGPTBuilder.Partition {
        .init(type: type, uuid: uuid, firstLBA: lba, sectors: 256, contents: Self.squashfs)
    }

    @Test func picksNativeRootPartition() throws {
        let arm = PartitionType.uuid(for: .root, architecture: .arm64)!.description
        let native = PartitionType.uuid(for: .root, architecture: .native)!.description
        let result = try ImageDissector.dissect(
            disk([root(arm, at: 64), root(native, uuid: "aaaaaaaa-2222-4333-8444-555555555555", at: 400)]),
            path: "t.raw"
        )
        #expect(result.rootPartition?.number == 2)
        #expect(result.content == .fileSystem(.squashfs))
        #expect(result.offset == 400 * 512)
        #expect(result.verity == nil)
    }

    @Test func foreignArchitectureOnlyHasNoRoot() {
        let foreign = PartitionType.uuid(for: .root, architecture: .s390x)!.description
        expectImageError("NoRootPartition") { _ = try ImageDissector.dissect(disk([root(foreign)]), path: "t.raw") }
    }

    @Test func noRootPartitionIsRefused() {
        let home = PartitionType.uuid(for: .home)!.description
        let error = expectImageError("NoRootPartition") {
            _ = try ImageDissector.dissect(disk([root(home)]), path: "/x/t.raw")
        }
        #expect(error?.description == "Image '/x/t.raw' has no suitable root partition for this architecture.")
    }

    @Test("two root partitions: the newest label version wins, the first on a tie (systemd's A/B rule)")
    func twoRootPartitionsPickNewestLabel() throws {
        let native = PartitionType.uuid(for: .root, architecture: .native)!.description
        func labelled(_ label: String, at lba: UInt64, uuid: String) -> RawGPTBuilder.Partition {
            var partition = root(native, uuid: uuid, at: lba)
            partition.name = label
            return partition
        }
        let second = "aaaaaaaa-2222-4333-8444-555555555555"
        let tie = try ImageDissector.dissect(disk([root(native), root(native, uuid: second, at: 400)]), path: "t.raw")
        #expect(tie.rootPartition?.number == 1)
        let newer = try ImageDissector.dissect(
            disk([labelled("app_1.9", at: 64, uuid: second), labelled("app_1.10", at: 400, uuid: second)]),
            path: "t.raw"
        )
        #expect(newer.rootPartition?.number == 2)
        #expect(newer.offset == 400 * 512)
        let older = try ImageDissector.dissect(
            disk([labelled("app_2", at: 64, uuid: second), labelled("app_1.10", at: 400, uuid: second)]),
            path: "t.raw"
        )
        #expect(older.rootPartition?.number == 1)
    }

    @Test func singleGenericLinuxPartitionServesAsRoot() throws {
        let generic = PartitionType.uuid(for: .linuxGeneric)!.description
        let result = try ImageDissector.dissect(disk([root(generic)]), path: "t.raw")
        #expect(result.rootPartition?.type.designator == .linuxGeneric)
    }

    @Test func usrOnlyImageMountsUsrAndRootWinsOverUsr() throws {
        let usr = PartitionType.uuid(for: .usr, architecture: .native)!.description
        let native = PartitionType.uuid(for: .root, architecture: .native)!.description
        let usrOnly = try ImageDissector.dissect(disk([root(usr)]), path: "t.raw")
        #expect(usrOnly.designator == .usr)
        #expect(usrOnly.rootPartition?.type.designator == .usr)
        let both = try ImageDissector.dissect(
            disk([root(usr), root(native, uuid: "aaaaaaaa-2222-4333-8444-555555555555", at: 400)]),
            path: "t.raw"
        )
        #expect(both.designator == .root)
        #expect(both.rootPartition?.number == 2)
    }

    @Test func unknownFileSystemInRootPartition() {
        let native = PartitionType.uuid(for: .root, architecture: .native)!.description
        var partition = root(native)
        partition.contents = [UInt8](repeating: 0x5A, count: 4096)
        expectImageError("UnsupportedFileSystem") { _ = try ImageDissector.dissect(disk([partition]), path: "t.raw") }
    }

    @Test func rootHashDerivedFromPartitionUUIDs() throws {
        let native = PartitionType.uuid(for: .root, architecture: .native)!.description
        let verity = PartitionType.uuid(for: .rootVerity, architecture: .native)!.description
        let result = try ImageDissector.dissect(
            disk([
                root(native, uuid: Self.uuidString(Self.rootHash[0..<16])),
                .init(type: verity, uuid: Self.uuidString(Self.rootHash[16..<32]), firstLBA: 400, sectors: 64),
            ]),
            path: "t.raw"
        )
        #expect(result.verity?.rootHash == Self.rootHash)
        #expect(result.verity?.origin == .partitionUUIDs)
        #expect(result.verity?.hashSource == .partition(number: 2))
    }

    @Test func explicitRootHashSelectsMatchingRoot() throws {
        let native = PartitionType.uuid(for: .root, architecture: .native)!.description
        let partitions = [
            root(native, uuid: "aaaaaaaa-2222-4333-8444-555555555555"),
            root(native, uuid: Self.uuidString(Self.rootHash[0..<16]), at: 400),
        ]
        var sidecars = VeritySidecars()
        sidecars.hashTreePath = "/nonexistent.verity"
        let result = try ImageDissector.dissect(
            disk(partitions),
            path: "t.raw",
            sidecars: sidecars,
            explicitRootHash: Self.rootHash
        )
        #expect(result.rootPartition?.number == 2)
        #expect(result.verity?.origin == .option)
        // A root hash matching no partition: refused, not silently ignored.
        expectImageError("NoRootPartition") {
            _ = try ImageDissector.dissect(
                disk(partitions),
                path: "t.raw",
                explicitRootHash: [UInt8](repeating: 9, count: 32)
            )
        }
    }

    /// A `.roothash` sidecar alone checks nothing: used unverified (as portabled does), marked so the
    /// pinned policy still says `verity`. A root hash given explicitly without hash data is refused.
    @Test func rootHashWithoutHashData() throws {
        var sidecars = VeritySidecars()
        sidecars.rootHash = Self.rootHash
        let image = MemoryByteReader(Self.squashfs + [UInt8](repeating: 0, count: 8192))
        let dissection = try ImageDissector.dissect(image, path: "t.raw", sidecars: sidecars)
        #expect(dissection.verity == nil)
        #expect(dissection.unverifiableRootHash)
        expectImageError("VerityDataMissing") {
            _ = try ImageDissector.dissect(image, path: "t.raw", explicitRootHash: Self.rootHash)
        }
    }

    @Test func bareFileSystemsAndLUKSByMagic() throws {
        func image(_ magic: [UInt8], at offset: Int) -> MemoryByteReader {
            var bytes = [UInt8](repeating: 0, count: 0x20000)
            bytes.replaceSubrange(offset..<offset + magic.count, with: magic)
            return MemoryByteReader(bytes)
        }
        #expect(
            try ImageDissector.dissect(image(Array("hsqs".utf8), at: 0), path: "t").content == .fileSystem(.squashfs)
        )
        #expect(
            try ImageDissector.dissect(image([0xE2, 0xE1, 0xF5, 0xE0], at: 1024), path: "t").content
                == .fileSystem(.erofs)
        )
        #expect(try ImageDissector.dissect(image([0x53, 0xEF], at: 1080), path: "t").content == .fileSystem(.ext4))
        #expect(
            try ImageDissector.dissect(image(Array("_BHRfS_M".utf8), at: 0x10040), path: "t").content
                == .fileSystem(.btrfs)
        )
        #expect(
            try ImageDissector.dissect(image([0x4C, 0x55, 0x4B, 0x53, 0xBA, 0xBE], at: 0), path: "t").content == .luks
        )
        expectImageError("UnknownFormat") { _ = try ImageDissector.dissect(image([1, 2, 3], at: 0), path: "t") }
        expectImageError("Truncated") { _ = try ImageDissector.dissect(MemoryByteReader([0x68, 0x73]), path: "t") }
    }
}

@Suite("Partition type table")
struct PartitionTypeTests {
    @Test func knownTypesFromTheSpecification() {
        let cases: [(String, PartitionDesignator, Architecture?)] = [
            ("4f68bce3-e8cd-4db1-96e7-fbcaf984b709", .root, .x86_64),
            ("b921b045-1df0-41c3-af44-4c6f280d3fae", .root, .arm64),
            ("8484680c-9521-48c6-9c11-b0720656f69e", .usr, .x86_64),
            ("2c7357ed-ebd2-46d9-aec1-23d437ec2bf5", .rootVerity, .x86_64),
            ("41092b05-9fc8-4523-994f-2def0408b176", .rootVeritySignature, .x86_64),
            ("77ff5f63-e7b6-4633-acf4-1565b864c0e6", .usrVerity, .x86_64),
            ("e7bb33fb-06cf-4e81-8273-e543b413e2e2", .usrVeritySignature, .x86_64),
            ("c12a7328-f81f-11d2-ba4b-00a0c93ec93b", .esp, nil),
            ("0fc63daf-8483-4772-8e79-3d69d8477de4", .linuxGeneric, nil),
        ]
        for (uuid, designator, architecture) in cases {
            let type = PartitionType(uuid: GUID(uuid)!)
            #expect(type.designator == designator, "\(uuid)")
            #expect(type.architecture == architecture, "\(uuid)")
        }
        #expect(PartitionType(uuid: GUID("00000000-0000-0000-0000-000000000001")!).designator == nil)
    }

    @Test func guidEncodings() throws {
        let guid = try #require(GUID("4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709"))
        #expect(guid.description == "4f68bce3-e8cd-4db1-96e7-fbcaf984b709")
        #expect(GUID(gptBytes: guid.gptBytes) == guid)
        #expect(guid.gptBytes.prefix(4) == [0xE3, 0xBC, 0x68, 0x4F])
        #expect(GUID("not-a-guid") == nil)
        #expect(GUID("4f68bce3-e8cd-4db1-96e7-fbcaf984b7") == nil)
    }
}
