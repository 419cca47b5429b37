/// One used entry of a GPT partition array, with offsets already checked against the image.
public struct GPTPartition: Sendable, Hashable {
    /// 1-based index in the entry array (as `sfdisk` and `/dev/loopNpK` number them).
    public let number: Int
    public let type: PartitionType
    public let uuid: GUID
    public let firstLBA: UInt64
    public let lastLBA: UInt64
    public let attributes: UInt64
    public let label: String

    /// Byte offset and size inside the image.
    public let offset: UInt64
    public let size: UInt64

    /// GPT attribute bits used by the Discoverable Partitions Specification.
    public static let readOnlyBit: UInt64 = 1 << 60
    public static let noAutoBit: UInt64 = 1 << 63
    public static let growFileSystemBit: UInt64 = 1 << 59

    public var isReadOnly: Bool { attributes & Self.readOnlyBit != 0 }
    /// "Do not mount automatically": discovery ignores the partition.
    public var isNoAuto: Bool { attributes & Self.noAutoBit != 0 }
    public var growsFileSystem: Bool { attributes & Self.growFileSystemBit != 0 }
}

/// A validated GUID partition table.
public struct GPTPartitionTable: Sendable, Hashable {
    public let sectorSize: UInt64
    public let diskGUID: GUID
    public let firstUsableLBA: UInt64
    public let lastUsableLBA: UInt64
    /// Used entries in table order.
    public let partitions: [GPTPartition]
    /// True when the primary header was damaged and the backup header at the end was used.
    public let usedBackupHeader: Bool

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
    public func partitions(_ designator: PartitionDesignator) -> [GPTPartition] {
        partitions.filter { $0.type.designator == designator && !$0.isNoAuto }
    }
}
