/// An image as `list` reports it.
public struct ImageSummary: Sendable, Hashable {
    /// File name without `.raw`.
    public var name: String
    /// The image path (inside the host tree).
    public var path: String
    public var kind: ImageKind
    public var readOnly: Bool
    /// Birth time in µs, when the file system records it (not collected yet: always nil).
    public var creationTimestamp: UInt64?
    public var modificationTimestamp: UInt64?
    /// Bytes used, for raw images (`st_blocks × 512`); nil for trees.
    public var usage: UInt64?
    public var limit: UInt64?
    public var state: ImageState
    /// For raw images, what their headers say (verity `present`, not checked); nil for trees.
    public var disk: DiskDetails?

    public init(
        name: String,
        path: String,
        kind: ImageKind,
        readOnly: Bool,
        creationTimestamp: UInt64? = nil,
        modificationTimestamp: UInt64? = nil,
        usage: UInt64? = nil,
        limit: UInt64? = nil,
        state: ImageState = .detached,
        disk: DiskDetails? = nil
    ) {
        self.name = name
        self.path = path
        self.kind = kind
        self.readOnly = readOnly
        self.creationTimestamp = creationTimestamp
        self.modificationTimestamp = modificationTimestamp
        self.usage = usage
        self.limit = limit
        self.state = state
        self.disk = disk
    }
}
