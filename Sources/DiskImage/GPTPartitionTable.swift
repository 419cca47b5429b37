/// One used entry of a GPT partition array, with offsets already checked against the image.
package struct GPTPartition: Sendable, Hashable {
    /// 1-based index in the entry array (as `sfdisk` and `/dev/loopNpK` number them).
    package let number: Int
    package let type: PartitionType
    package let uuid: GUID
    package let firstLBA: UInt64
    package let lastLBA: UInt64
    package let attributes: UInt64
    package let label: String

    /// Byte offset and size inside the image.
    package let offset: UInt64
    package let size: UInt64

    /// GPT attribute bits used by the Discoverable Partitions Specification.
    package static let readOnlyBit: UInt64 = 1 << 60
    package static let noAutoBit: UInt64 = 1 << 63
    package static let growFileSystemBit: UInt64 = 1 << 59

    package var isReadOnly: Bool { attributes & Self.readOnlyBit != 0 }
    /// "Do not mount automatically": discovery ignores the partition.
    package var isNoAuto: Bool { attributes & Self.noAutoBit != 0 }
    package var growsFileSystem: Bool { attributes & Self.growFileSystemBit != 0 }
}

/// A validated GUID partition table.
package struct GPTPartitionTable: Sendable, Hashable {
    package let sectorSize: UInt64
    package let diskGUID: GUID
    package let firstUsableLBA: UInt64
    package let lastUsableLBA: UInt64
    /// Used entries in table order.
    package let partitions: [GPTPartition]
    /// True when the primary header was damaged and the backup header at the end was used.
    package let usedBackupHeader: Bool

    init(
        sectorSize: UInt64,
        diskGUID: GUID,
        firstUsableLBA: UInt64,
        lastUsableLBA: UInt64,
        partitions: [GPTPartition],
        usedBackupHeader: Bool
    ) {
        self.sectorSize = sectorSize
        self.diskGUID = diskGUID
        self.firstUsableLBA = firstUsableLBA
        self.lastUsableLBA = lastUsableLBA
        self.partitions = partitions
        self.usedBackupHeader = usedBackupHeader
    }

    /// Partitions of `designator`, skipping no-auto ones (as discovery does).
    package func partitions(_ designator: PartitionDesignator) -> [GPTPartition] {
        partitions.filter { $0.type.designator == designator && !$0.isNoAuto }
    }
}
