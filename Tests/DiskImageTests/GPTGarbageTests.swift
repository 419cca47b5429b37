import DiskImage
import Foundation
import TestSupport
import Testing

/// Seeded damage to a valid GPT disk, one family of damage per test case, each with the one outcome the
/// parser and the dissector must produce. A failure names the seed; `BERTH_GPT_SEED=<n>` replays it
/// (or explores another one).
@Suite("GPT parsing of seeded garbage")
struct GPTGarbageTests {
    static let seed: UInt64 =
        ProcessInfo.processInfo.environment["BERTH_GPT_SEED"].flatMap { UInt64($0) } ?? 0x6F70_7420_6761_7262
    static let casesPerFamily = 24
    static let sector = 512
    static let totalSectors: UInt64 = 2048
    static let lastUsableLBA = Int(totalSectors) - 34
    static let rootType = PartitionType.uuid(for: .root, architecture: .x86_64)!.description
    static let verityType = PartitionType.uuid(for: .rootVerity, architecture: .x86_64)!.description

    /// What the parser must do with a damaged disk.
    enum Outcome: Equatable, CustomStringConvertible {
        case parses(usedBackupHeader: Bool)
        case corrupt(String)
        case invalidPartition(String)

        var description: String {
            switch self {
            case .parses(let backup): "parses (backup header: \(backup))"
            case .corrupt(let detail): "CorruptPartitionTable containing '\(detail)'"
            case .invalidPartition(let detail): "InvalidPartition containing '\(detail)'"
            }
        }
    }

    /// One kind of damage; `damage` returns the disk and the outcome it must have.
    enum Family: String, CaseIterable, CustomTestStringConvertible {
        case mbrBootCode, mbrBootSignature, protectiveType
        case primarySignature, primaryHeaderField, primaryHeaderPadding
        case primaryEntries, bothEntryCopies
        case truncatedBelowHeader, truncatedBeforeUsableEnd, truncatedAfterUsableEnd
        case partitionPlacement

        var testDescription: String { rawValue }
    }

    static func validDisk(secondPartitionAt first: UInt64 = 600, sectors: UInt64 = 64) -> [UInt8] {
        var builder = RawGPTBuilder(totalSectors: totalSectors)
        let squashfs = Array("hsqs".utf8) + [UInt8](repeating: 0, count: 60)
        builder.partitions = [
            .init(
                type: rootType,
                uuid: "11111111-2222-4333-8444-555555555555",
                firstLBA: 64,
                sectors: 512,
                contents: squashfs
            ),
            .init(type: verityType, uuid: "66666666-7777-4888-9999-aaaaaaaaaaaa", firstLBA: first, sectors: sectors),
        ]
        return builder.build()
    }

    static func nonZeroByte(_ generator: inout SeededGenerator) -> UInt8 {
        UInt8.random(in: 1...255, using: &generator)
    }

    /// Flips bits of one byte in `range` (never a no-op).
    static func flip(_ disk: inout [UInt8], in range: Range<Int>, _ generator: inout SeededGenerator) -> Int {
        let index = Int.random(in: range, using: &generator)
        disk[index] ^= nonZeroByte(&generator)
        return index
    }

    static func damage(_ family: Family, _ generator: inout SeededGenerator) -> (disk: [UInt8], outcome: Outcome) {
        var disk = validDisk()
        let primaryEntries = 2 * sector..<34 * sector
        switch family {
        case .mbrBootCode:
            _ = flip(&disk, in: 0..<446, &generator)  // boot code is not part of GPT
            return (disk, .parses(usedBackupHeader: false))
        case .mbrBootSignature:
            _ = flip(&disk, in: 510..<512, &generator)
            return (disk, .corrupt("lacks the 0x55AA signature"))
        case .protectiveType:
            disk[446 + 4] = UInt8.random(in: 0...0xED, using: &generator)
            return (disk, .corrupt("no protective (0xEE) partition"))
        case .primarySignature:
            _ = flip(&disk, in: sector..<sector + 8, &generator)
            return (disk, .corrupt("no GPT header signature at LBA 1"))
        case .primaryHeaderField:
            // Revision, size, CRC, LBAs, GUID, entry fields: all CRC-covered, so the backup header takes over.
            _ = flip(&disk, in: sector + 8..<sector + 92, &generator)
            return (disk, .parses(usedBackupHeader: true))
        case .primaryHeaderPadding:
            _ = flip(&disk, in: sector + 92..<2 * sector, &generator)  // beyond the header size: ignored
            return (disk, .parses(usedBackupHeader: false))
        case .primaryEntries:
            _ = flip(&disk, in: primaryEntries, &generator)
            return (disk, .parses(usedBackupHeader: true))
        case .bothEntryCopies:
            // The same byte of the backup array (LBA total - 33 onwards), so neither copy checks out.
            let original = disk
            let index = flip(&disk, in: primaryEntries, &generator)
            disk[disk.count - 33 * sector + (index - primaryEntries.lowerBound)] ^= disk[index] ^ original[index]
            return (disk, .corrupt("partition entry array CRC mismatch"))
        case .truncatedBelowHeader:
            return (Array(disk.prefix(Int.random(in: 0..<sector + 92, using: &generator))), .corrupt("no GPT header"))
        case .truncatedBeforeUsableEnd:
            let length = Int.random(in: sector + 92..<(lastUsableLBA + 1) * sector, using: &generator)
            let outcome: Outcome = length < 2 * sector ? .corrupt("header is past the end") : .corrupt("does not fit")
            return (Array(disk.prefix(length)), outcome)
        case .truncatedAfterUsableEnd:
            // The usable area still fits; only the backup copies are cut off.
            let length = Int.random(in: (lastUsableLBA + 1) * sector..<disk.count, using: &generator)
            return (Array(disk.prefix(length)), .parses(usedBackupHeader: false))
        case .partitionPlacement:
            let first = UInt64.random(in: 0..<totalSectors, using: &generator)
            let sectors = UInt64.random(in: 1...200, using: &generator)
            let last = first + sectors - 1
            let outcome: Outcome =
                if first < 34 || last > UInt64(lastUsableLBA) {
                    .invalidPartition("is outside the usable area")
                } else if first <= 575 && last >= 64 {
                    .invalidPartition("partitions 1 and 2 overlap")
                } else {
                    .parses(usedBackupHeader: false)
                }
            return (validDisk(secondPartitionAt: first, sectors: sectors), outcome)
        }
    }

    @Test(arguments: Family.allCases)
    func damagedDiskHasItsOneOutcome(_ family: Family) {
        let familyIndex = UInt64(Family.allCases.firstIndex(of: family)!)
        var generator = SeededGenerator(seed: Self.seed &+ familyIndex &* 0x1000_0001)
        for caseNumber in 0..<Self.casesPerFamily {
            let (disk, expected) = Self.damage(family, &generator)
            let context: Comment =
                "seed \(Self.seed) (BERTH_GPT_SEED), \(family) case \(caseNumber): expected \(expected)"
            check(disk, expected, context)
        }
    }

    func check(_ disk: [UInt8], _ expected: Outcome, _ context: Comment) {
        let parsed = Result { () throws(DiskImageError) in try GPTParser.parse(MemoryByteReader(disk), path: "g.raw") }
        let dissected = Result { () throws(DiskImageError) in
            try ImageDissector.dissect(MemoryByteReader(disk), path: "g.raw", architectures: [.x86_64])
        }
        switch (expected, parsed) {
        case (.parses(let backup), .success(let table)):
            #expect(table.usedBackupHeader == backup, context)
            #expect(table.partitions.map(\.number) == [1, 2], context)
            #expect((try? dissected.get())?.rootPartition?.number == 1, "\(context); dissect: \(dissected)")
        case (.corrupt(let detail), .failure(let error)), (.invalidPartition(let detail), .failure(let error)):
            let identifier = if case .corrupt = expected { "CorruptPartitionTable" } else { "InvalidPartition" }
            #expect(error.identifier == identifier, "\(context); got \(error)")
            #expect(error.description.contains(detail), "\(context); got \(error)")
            #expect(error.description.contains("'g.raw'"), context)
            expectDissectorRefuses(disk, dissected, like: error, context)
        default:
            Issue.record("\(context); parse gave \(parsed)")
        }
    }

    /// The dissector reports the parser's error, except where it never reaches the parser: under 4 KiB
    /// (`Truncated`) and without a GPT signature (then no format is recognised at all).
    func expectDissectorRefuses(
        _ disk: [UInt8],
        _ dissected: Result<ImageDissection, DiskImageError>,
        like parseError: DiskImageError,
        _ context: Comment
    ) {
        guard case .failure(let error) = dissected else {
            Issue.record("\(context); dissect succeeded")
            return
        }
        let expected =
            if disk.count < 4096 {
                "Truncated"
            } else if !GPTParser.hasSignature(MemoryByteReader(disk)) {
                "UnknownFormat"
            } else {
                parseError.identifier
            }
        #expect(error.identifier == expected, "\(context); dissect gave \(error)")
        if expected == parseError.identifier { #expect(error.description == parseError.description, context) }
    }
}
