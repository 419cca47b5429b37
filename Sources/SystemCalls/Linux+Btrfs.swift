internal import CLinuxShims

#if canImport(Glibc)
import Glibc
#endif

/// btrfs ioctls for subvolume IDs and quota groups, one wrapper each.
///
/// btrfs reuses ioctl numbers other drivers also use, so callers must check the descriptor is a
/// directory or regular file on btrfs (`fileSystemStatus().isBtrfs`) before calling any of these.
extension FileDescriptor {
    /// BTRFS_IOC_INO_LOOKUP: the ID of the subvolume this directory is in (its own ID for a subvolume).
    package func btrfsSubvolumeID() throws(SystemCallError) -> UInt64 {
        var treeID: UInt64 = 0
        _ = try Syscall.retrying("ioctl", detail: "BTRFS_IOC_INO_LOOKUP") { berth_btrfs_tree_id(rawValue, &treeID) }
        return treeID
    }

    /// One BTRFS_IOC_TREE_SEARCH of `search`'s range: at most `limit` items, in key order.
    package func btrfsTreeSearch(
        _ search: BtrfsTreeSearch,
        limit: UInt32 = 256
    ) throws(SystemCallError) -> [BtrfsTreeSearch.Item] {
        var key = berth_btrfs_search_key(
            tree_id: search.treeID,
            min_objectid: search.minimum.objectID,
            max_objectid: search.maximum.objectID,
            min_offset: search.minimum.offset,
            max_offset: search.maximum.offset,
            min_type: UInt32(search.minimum.type),
            max_type: UInt32(search.maximum.type),
            nr_items: limit
        )
        var buffer = [UInt8](repeating: 0, count: berth_btrfs_search_buffer_size())
        _ = try Syscall.retrying("ioctl", detail: "BTRFS_IOC_TREE_SEARCH") {
            buffer.withUnsafeMutableBufferPointer { berth_btrfs_tree_search(rawValue, &key, $0.baseAddress) }
        }
        return BtrfsTreeSearch.items(in: buffer, count: Int(key.nr_items))
    }

    /// The offset of `ctime` in a root item (`struct btrfs_root_item`) a tree search returns.
    package static var btrfsRootItemChangeTimeOffset: Int { berth_btrfs_root_item_ctime_offset() }

    /// BTRFS_IOC_QUOTA_CTL: turns quota accounting of the whole file system on or off.
    package func btrfsSetQuota(enabled: Bool) throws(SystemCallError) {
        _ = try Syscall.retrying("ioctl", detail: "BTRFS_IOC_QUOTA_CTL") {
            berth_btrfs_quota_ctl(rawValue, enabled ? 1 : 0)
        }
    }

    /// BTRFS_IOC_QGROUP_LIMIT: the referenced-bytes maximum of a quota group (`UInt64.max`: none).
    package func btrfsSetQgroupLimit(_ qgroupID: UInt64, maximumReferenced: UInt64) throws(SystemCallError) {
        _ = try Syscall.retrying("ioctl", detail: "BTRFS_IOC_QGROUP_LIMIT") {
            berth_btrfs_qgroup_limit(rawValue, qgroupID, maximumReferenced)
        }
    }

    /// BTRFS_IOC_QGROUP_CREATE: creates (or destroys) a quota group.
    package func btrfsCreateQgroup(_ qgroupID: UInt64, create: Bool = true) throws(SystemCallError) {
        _ = try Syscall.retrying("ioctl", detail: "BTRFS_IOC_QGROUP_CREATE") {
            berth_btrfs_qgroup_create(rawValue, create ? 1 : 0, qgroupID)
        }
    }

    /// BTRFS_IOC_QGROUP_ASSIGN: makes `child` a member of `parent` (or removes it); true when the kernel
    /// asks for a rescan to correct the parent's figures.
    package func btrfsAssignQgroup(
        _ child: UInt64,
        to parent: UInt64,
        assign: Bool = true
    ) throws(SystemCallError) -> Bool {
        try Syscall.retrying("ioctl", detail: "BTRFS_IOC_QGROUP_ASSIGN") {
            berth_btrfs_qgroup_assign(rawValue, assign ? 1 : 0, child, parent)
        } > 0
    }

    /// BTRFS_IOC_QUOTA_RESCAN: starts recounting every quota group.
    package func btrfsStartQuotaRescan() throws(SystemCallError) {
        _ = try Syscall.retrying("ioctl", detail: "BTRFS_IOC_QUOTA_RESCAN") { berth_btrfs_quota_rescan(rawValue) }
    }

    /// BTRFS_IOC_QUOTA_RESCAN_WAIT: blocks until a running rescan has finished.
    package func btrfsWaitForQuotaRescan() throws(SystemCallError) {
        _ = try Syscall.retrying("ioctl", detail: "BTRFS_IOC_QUOTA_RESCAN_WAIT") {
            berth_btrfs_quota_rescan_wait(rawValue)
        }
    }

    /// BTRFS_IOC_QUOTA_RESCAN_STATUS: whether a rescan is running (its figures are not final then).
    package func btrfsQuotaRescanIsRunning() throws(SystemCallError) -> Bool {
        var flags: UInt64 = 0
        _ = try Syscall.retrying("ioctl", detail: "BTRFS_IOC_QUOTA_RESCAN_STATUS") {
            berth_btrfs_quota_rescan_status(rawValue, &flags)
        }
        return flags != 0
    }
}
