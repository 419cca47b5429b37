import SystemCalls

#if canImport(Glibc)
import Glibc
#endif

/// The usage and limit figures `list` and the image objects report.
extension ImageLocator {
    /// Usage and limit of an image: quota figures for subvolumes; blocks used and the file size for raw
    /// images (`st_blocks × 512` and `st_size`, portabled's choice); nothing for plain directories.
    func usageAndLimit(path: String, kind: ImageKind, status: FileStatus) -> (usage: UInt64?, limit: UInt64?) {
        switch kind {
        case .raw:
            return (UInt64(max(0, status.blocks)) * 512, UInt64(max(0, status.size)))
        case .subvolume:
            let figures = subtreeFigures(of: path, duringRescan: false)
            return (figures?.referenced, figures?.referencedLimit)
        case .directory, .block:
            return (nil, nil)
        }
    }

    /// The btrfs quota figures of the subvolume subtree `path` is in; nil off btrfs or without quota.
    /// An image's figures are not read while a rescan rebuilds them (portabled's image_update_quota);
    /// the pool's are (its PoolUsage property does not check).
    func subtreeFigures(of path: String, duringRescan: Bool) -> BtrfsQuota.Figures? {
        guard let fd = try? tree.open(path, flags: [.directory, .readOnly]) else { return nil }
        defer { fd.close() }
        guard let quota = try? BtrfsQuota(fd) else { return nil }
        if !duringRescan, (try? fd.btrfsQuotaRescanIsRunning()) != false { return nil }
        return (try? quota.subtreeFigures()) ?? nil
    }
}
