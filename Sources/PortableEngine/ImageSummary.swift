/// An image as `list` reports it.
package struct ImageSummary: Sendable, Hashable {
    /// File name without `.raw`.
    package var name: String
    /// The image path (inside the host tree).
    package var path: String
    package var kind: ImageKind
    package var readOnly: Bool
    /// Birth time in µs, when the file system records it (nil for block devices).
    package var creationTimestamp: UInt64? = nil
    /// Modification time in µs, of raw images only (portabled reports none for trees and devices).
    package var modificationTimestamp: UInt64? = nil
    /// Bytes used: raw images `st_blocks × 512`, subvolumes their btrfs quota count; nil otherwise.
    package var usage: UInt64? = nil
    /// Bytes allowed: raw images their size, subvolumes their btrfs quota limit; nil otherwise.
    package var limit: UInt64? = nil
    /// Bytes only this image uses: subvolumes their btrfs quota's exclusive count; raw images `usage`.
    package var usageExclusive: UInt64? = nil
    /// The limit on `usageExclusive`: subvolumes their btrfs exclusive limit; raw images `limit`.
    package var limitExclusive: UInt64? = nil
    package var state: ImageState = .detached
    /// For raw images, what their headers say (verity `present`, not checked); nil for trees.
    package var disk: DiskDetails? = nil
}
