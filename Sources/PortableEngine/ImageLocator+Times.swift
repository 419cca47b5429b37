import SystemCalls

extension ImageLocator {
    /// CRTIME as portabled's `list` shows it: the birth time of trees and raw files (statx; on btrfs the
    /// subvolume's otime); none for block devices, or where the file system records none.
    func creationTime(path: String, kind: ImageKind) -> UInt64? {
        guard kind != .block, let fd = try? tree.open(path, flags: [.path]) else { return nil }
        defer { fd.close() }
        return (try? fd.extendedStatus(of: ""))?.birthTimeMicroseconds
    }

    /// MTIME as portabled shows it: raw files their mtime, btrfs subvolumes their root item's ctime. A plain
    /// tree's top directory's mtime says nothing about the tree, and portabled reports none ("-").
    func modificationTime(path: String, kind: ImageKind, status: FileStatus) -> UInt64? {
        switch kind {
        case .raw: return status.modificationTimeMicroseconds
        case .subvolume: return subvolumeChangeTime(path)
        case .directory, .block: return nil
        }
    }
}
