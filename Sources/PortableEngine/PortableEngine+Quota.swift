import SystemCalls

#if canImport(Glibc)
import Glibc
#endif

/// set-limit and the pool's figures: btrfs quota groups, as portabled handles them.
extension PortableEngine {
    /// The pool portabled reports and limits (`PoolPath`): the scope's (`/var/lib/portables` for the system).
    package var poolDirectory: String { configuration.layout.poolDirectory }

    /// The pool's path, usage and limit (bytes; nil where btrfs quota does not count or limit it).
    package func pool() -> (path: String, usage: UInt64?, limit: UInt64?) {
        let figures = locator.subtreeFigures(of: poolDirectory, duringRescan: true)
        return (poolDirectory, figures?.referenced, figures?.referencedLimit)
    }

    /// Limits an image's size (nil: no limit), as portabled's image_set_limit does: the subvolume's own
    /// quota group and its subtree group (created on the way), failing only if the subtree group cannot
    /// be limited. Only btrfs subvolumes have quotas (EOPNOTSUPP for others, EROFS for vendor images, both
    /// as `systemError`s: portabled reports them as bare errnos).
    package func setLimit(image: String, limit: UInt64?) async throws(PortableError) {
        let lock = try await lock(try lockKey(for: image))
        defer { withExtendedLifetime(lock) {} }
        let located = try locator.locate(image)
        do throws(SystemCallError) {
            // portabled replies with image_set_limit's bare errno: EROFS for vendor images below /usr.
            if located.path == "/usr" || located.path.hasPrefix("/usr/") {
                throw SystemCallError(call: "ioctl", errno: EROFS, detail: "BTRFS_IOC_QGROUP_LIMIT")
            }
            guard located.kind == .subvolume else {
                throw SystemCallError(call: "ioctl", errno: EOPNOTSUPP, detail: "BTRFS_IOC_QGROUP_LIMIT")
            }
            let fd = try tree.open(located.path, flags: [.directory, .readOnly, .noFollow])
            defer { fd.close() }
            let quota = try BtrfsQuota(fd)
            let subvolume = try quota.subvolumeID()
            try? quota.setLimit(limit, of: subvolume)
            try? quota.autoAssignSubtreeGroup()
            try quota.setLimit(limit, of: try quota.subtreeGroup(of: subvolume))
        } catch {
            throw .systemError(operation: "set limit", path: display(located.path), error: error)
        }
    }

    /// Limits the pool (nil: no limit), as portabled's SetPoolLimit does: the quota groups of the
    /// subvolume the pool directory is in. Off btrfs: `notSupported` with portabled's words.
    package func setPoolLimit(_ limit: UInt64?) throws(PortableError) {
        do throws(SystemCallError) {
            let fd = try tree.open(poolDirectory, flags: [.directory, .readOnly])
            defer { fd.close() }
            let quota = try BtrfsQuota(fd)
            let subvolume = try quota.subvolumeID()
            try? quota.setLimit(limit, of: subvolume)
            try quota.setLimit(limit, of: try quota.subtreeGroup(of: subvolume))
        } catch {
            if error.errno == ENOTTY || error.errno == EOPNOTSUPP {
                throw .notSupported(reason: Self.quotaNeedsBtrfs)
            }
            throw .systemError(operation: "adjust quota limit", path: display(poolDirectory), error: error)
        }
    }

    /// portabled's text for quota requests off btrfs.
    package static let quotaNeedsBtrfs = "Quota is only supported on btrfs."
}
