import SystemCalls

extension ImageLocator {
    /// CRTIME as portabled's `list` shows it: the birth time of trees and raw files (statx; on btrfs the
    /// subvolume's otime); none for block devices, or where the file system records none.
    func creationTime(path: String, kind: ImageKind) -> UInt64? {
        guard kind != .block, let fd = try? tree.open(path, flags: [.path]) else { return nil }
        defer { fd.close() }
        return (try? fd.extendedStatus(of: ""))?.birthTimeMicroseconds
    }

    /// MTIME as portabled shows it: only raw files have one. A tree's top directory's mtime says nothing
    /// about the tree, and portabled reports none ("-").
    static func modificationTime(kind: ImageKind, status: FileStatus) -> UInt64? {
        kind == .raw ? status.modificationTimeMicroseconds : nil
    }

    /// A raw image's limit is its file size (systemd's image.c: `limit = st_size`), which is what
    /// portabled's Image objects report as Limit and LimitExclusive; trees have none (quotas aside).
    static func limit(kind: ImageKind, status: FileStatus) -> UInt64? {
        kind == .raw ? UInt64(max(0, status.size)) : nil
    }
}
