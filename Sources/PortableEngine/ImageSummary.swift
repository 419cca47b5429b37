/// An image as `list` reports it.
package struct ImageSummary: Sendable, Hashable {
    /// File name without `.raw`.
    package var name: String
    /// The image path (inside the host tree).
    package var path: String
    package var kind: ImageKind
    package var readOnly: Bool
    /// Birth time in µs, when the file system records it (not collected yet: always nil).
    package var creationTimestamp: UInt64?
    package var modificationTimestamp: UInt64?
    /// Bytes used, for raw images (`st_blocks × 512`); nil for trees.
    package var usage: UInt64?
    package var limit: UInt64?
    package var state: ImageState
    /// For raw images, what their headers say (verity `present`, not checked); nil for trees.
    package var disk: DiskDetails?

    package init(
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
