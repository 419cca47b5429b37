import DiskImage
import TestSupport
import Testing

@Suite("GPT parsing of untrusted bytes")
struct GPTParserTests {
    static let rootX86 = "4f68bce3-e8cd-4db1-96e7-fbcaf984b709"
    static let rootVerityX86 = "2c7357ed-ebd2-46d9-aec1-23d437ec2bf5"
    static let squashfsMagic = Array("hsqs".utf8) + [UInt8](repeating: 0, count: 60)

    func standardDisk(attributes: UInt64 = 1 << 60) -> RawGPTBuilder {
        var builder = RawGPTBuilder(totalSectors: 2048)
        builder.partitions = [
            .init(
                type: Self.rootX86,
                uuid: "11111111-2222-4333-8444-555555555555",
                firstLBA: 64,
                sectors: 512,
                attributes: attributes,
                name: "root-x86-64 ✓",
                contents: Self.squashfsMagic
            ),
            .init(type: Self.rootVerityX86, uuid: "66666666-7777-4888-9999-aaaaaaaaaaaa", firstLBA: 600, sectors: 64),
        ]
        return builder
    }

    @Test func parsesPartitionsTypesFlagsAndLabels() throws {
        let table = try GPTParser.parse(MemoryByteReader(standardDisk().build()), path: "t.raw")
        #expect(table.partitions.count == 2)
        #expect(!table.usedBackupHeader)
        let root = table.partitions[0]
        #expect(root.number == 1)
        #expect(root.type.designator == .root)
        #expect(root.type.architecture == .x86_64)
        #expect(root.type.description == "root-x86-64")
        #expect(root.uuid.description == "11111111-2222-4333-8444-555555555555")
        #expect(root.label == "root-x86-64 ✓")
        #expect(root.offset == 64 * 512)
        #expect(root.size == 512 * 512)
        #expect(root.isReadOnly)
        #expect(!root.isNoAuto)
        #expect(!root.growsFileSystem)
        #expect(table.partitions[1].type.designator == .rootVerity)
    }

    @Test func growFileSystemAndNoAutoBits() throws {
        let disk = standardDisk(attributes: 1 << 59 | 1 << 63).build()
        let table = try GPTParser.parse(MemoryByteReader(disk), path: "t.raw")
        #expect(table.partitions[0].growsFileSystem)
        #expect(table.partitions[0].isNoAuto)
        #expect(!table.partitions[0].isReadOnly)
        // no-auto partitions are invisible to discovery.
        #expect(table.partitions(.root).isEmpty)
    }

    @Test func headerCRCMismatchFallsBackToBackup() throws {
        var disk = standardDisk().build()
        disk[512 + 40] ^= 0x01  // first usable LBA, without fixing the CRC
        let table = try GPTParser.parse(MemoryByteReader(disk), path: "t.raw")
        #expect(table.usedBackupHeader)
        #expect(table.partitions.count == 2)
    }

    @Test func bothHeadersCorruptIsRefused() {
        var disk = standardDisk().build()
        disk[512 + 40] ^= 0x01
        disk[disk.count - 512 + 40] ^= 0x01
        let error = expectImageError("CorruptPartitionTable") {
            _ = try GPTParser.parse(MemoryByteReader(disk), path: "t.raw")
        }
        #expect(error?.description.contains("header CRC mismatch") == true)
        #expect(error?.description.contains("t.raw") == true)
    }

    @Test func entryArrayCRCMismatchIsRefused() {
        var disk = standardDisk().build()
        disk[1024 + 60] ^= 0xFF  // label byte of entry 1, primary copy
        disk[disk.count - 33 * 512 + 60] ^= 0xFF  // and backup copy
        let error = expectImageError("CorruptPartitionTable") {
            _ = try GPTParser.parse(MemoryByteReader(disk), path: "t.raw")
        }
        #expect(error?.description.contains("entry array CRC mismatch") == true)
    }

    @Test func overlappingPartitionsAreRefused() {
        var builder = standardDisk()
        builder.partitions[1].firstLBA = 500
        expectImageError("InvalidPartition") {
            _ = try GPTParser.parse(MemoryByteReader(builder.build()), path: "t.raw")
        }
    }

    @Test func partitionOutsideUsableAreaIsRefused() {
        var builder = standardDisk()
        builder.partitions[1].firstLBA = 2000
        builder.partitions[1].sectors = 40
        let error = expectImageError("InvalidPartition") {
            _ = try GPTParser.parse(MemoryByteReader(builder.build()), path: "t.raw")
        }
        #expect(error?.description.contains("outside the usable area") == true)
    }

    @Test func truncatedImageIsRefused() {
        let disk = Array(standardDisk().build().prefix(4096))
        // Primary header claims usable LBAs far beyond the end; the backup header is gone.
        expectImageError("CorruptPartitionTable") { _ = try GPTParser.parse(MemoryByteReader(disk), path: "t.raw") }
        expectImageError("CorruptPartitionTable") {
            _ = try GPTParser.parse(MemoryByteReader(Array(disk.prefix(600))), path: "t.raw")
        }
    }

    @Test func missingProtectiveMBRIsRefused() {
        var disk = standardDisk().build()
        disk[446 + 4] = 0x83
        let error = expectImageError("CorruptPartitionTable") {
            _ = try GPTParser.parse(MemoryByteReader(disk), path: "t.raw")
        }
        #expect(error?.description.contains("protective") == true)
    }

    @Test func absurdEntryCountIsRefused() {
        var disk = standardDisk().build()
        disk[512 + 80] = 0xFF
        disk[512 + 81] = 0xFF
        disk[512 + 82] = 0xFF
        RawGPTBuilder.refreshPrimaryHeaderCRC(&disk)
        disk[disk.count - 512] = 0  // kill the backup signature so the primary's error is reported
        let error = expectImageError("CorruptPartitionTable") {
            _ = try GPTParser.parse(MemoryByteReader(disk), path: "t.raw")
        }
        #expect(error?.description.contains("too many") == true)
    }
}
