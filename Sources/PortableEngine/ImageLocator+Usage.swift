import SystemCalls

#if canImport(Glibc)
import Glibc
#endif

/// The usage and limit figures `list` and the image objects report.
extension ImageLocator {
    /// Usage and limit of an image: quota figures for subvolumes; blocks used and the file size for raw
    /// images (`st_blocks × 512` and `st_size`, portabled's choice, exclusive and total alike); nothing for
    /// plain directories.
    func usageAndLimit(path: String, kind: ImageKind, status: FileStatus) -> BtrfsQuota.Figures {
        switch kind {
        case .raw:
            let usage = UInt64(max(0, status.blocks)) * 512
            let size = UInt64(max(0, status.size))
            return BtrfsQuota.Figures(referenced: usage, exclusive: usage, referencedLimit: size, exclusiveLimit: size)
        case .subvolume:
            return subtreeFigures(of: path, duringRescan: false) ?? BtrfsQuota.Figures()
        case .block:
            // portabled: the device size for all four, when the device answers BLKGETSIZE64.
            guard let fd = try? tree.open(path, flags: [.readOnly, .nonBlocking]) else { return BtrfsQuota.Figures() }
            defer { fd.close() }
            guard let size = try? BlockDevice.size(fd), size != 0, size != .max else { return BtrfsQuota.Figures() }
            return BtrfsQuota.Figures(referenced: size, exclusive: size, referencedLimit: size, exclusiveLimit: size)
        case .directory:
            return BtrfsQuota.Figures()
        }
    }

    /// A subvolume's root item ctime, portabled's MTIME of a subvolume image.
    func subvolumeChangeTime(_ path: String) -> UInt64? {
        guard let fd = try? tree.open(path, flags: [.directory, .readOnly]) else { return nil }
        defer { fd.close() }
        guard let quota = try? BtrfsQuota(fd) else { return nil }
        return (try? quota.changeTimeMicroseconds()) ?? nil
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
