import SystemCalls

#if canImport(Glibc)
import Glibc
#endif

/// btrfs quota groups of one directory, as systemd's btrfs-util handles them for portabled and machined.
///
/// A subvolume's own ("leaf") quota group is `0/ID`. systemd gives each image a "subtree" group
/// `level/ID` above it (`autoAssignSubtreeGroup`) and reports and limits the lowest such group, falling
/// back to the leaf; these are the same rules, on the same ioctls, so limits set by either are read by
/// the other. Quota accounting itself is never switched on here: portabled does not either.
struct BtrfsQuota {
    /// What a quota group counts and allows, in bytes; nil: not counted / no limit.
    struct Figures: Sendable, Equatable {
        var referenced: UInt64? = nil
        var exclusive: UInt64? = nil
        var referencedLimit: UInt64? = nil
        var exclusiveLimit: UInt64? = nil
    }

    /// `BTRFS_ROOT_TREE_OBJECTID`, `BTRFS_QUOTA_TREE_OBJECTID` and the item types read from them.
    static let rootTree: UInt64 = 1
    static let quotaTree: UInt64 = 8
    static let rootItem: UInt8 = 132
    static let rootBackReference: UInt8 = 144
    static let qgroupStatus: UInt8 = 240
    static let qgroupInfo: UInt8 = 242
    static let qgroupLimit: UInt8 = 244
    static let qgroupRelation: UInt8 = 246
    /// `BTRFS_QGROUP_LEVEL_SHIFT`: a group ID is level << 48 | ID.
    static let levelShift: UInt64 = 48

    let fd: FileDescriptor

    /// A directory known to be on btrfs; anything else is ENOTTY, as btrfs-util reports it (the ioctl
    /// numbers mean other things to other drivers, so they are never tried elsewhere).
    init(_ fd: FileDescriptor) throws(SystemCallError) {
        guard try fd.fileSystemStatus().isBtrfs, try fd.status().kind == .directory else {
            throw SystemCallError(call: "fstatfs", errno: ENOTTY, detail: "not a directory on btrfs")
        }
        self.fd = fd
    }

    static func level(_ qgroup: UInt64) -> UInt64 { qgroup >> levelShift }
    static func id(_ qgroup: UInt64) -> UInt64 { qgroup & ((1 << levelShift) - 1) }

    /// The subvolume this directory is in (itself, for a subvolume).
    func subvolumeID() throws(SystemCallError) -> UInt64 { try fd.btrfsSubvolumeID() }

    /// Every item of a range, paging through the kernel's answers. A missing quota tree (ENOENT) means
    /// quota is off: nothing to find.
    func items(_ range: BtrfsTreeSearch) throws(SystemCallError) -> [BtrfsTreeSearch.Item] {
        var search = range
        var found: [BtrfsTreeSearch.Item] = []
        while !search.isEmpty {
            let page: [BtrfsTreeSearch.Item]
            do {
                page = try fd.btrfsTreeSearch(search)
            } catch {
                if error.errno == ENOENT && range.treeID == Self.quotaTree { break }
                throw error
            }
            guard let last = page.last else { break }
            found += page
            guard search.advance(past: last.key) else { break }
        }
        return found
    }

    /// A quota group's counts and limits; nil when the file system has no such group.
    func figures(of qgroup: UInt64) throws(SystemCallError) -> Figures? {
        let all = try items(
            BtrfsTreeSearch(
                treeID: Self.quotaTree,
                minimum: .init(objectID: 0, type: Self.qgroupStatus, offset: qgroup),
                maximum: .init(objectID: 0, type: Self.qgroupLimit, offset: qgroup)
            )
        ).filter { $0.key.objectID == 0 && $0.key.offset == qgroup }
        let info = all.first { $0.key.type == Self.qgroupInfo }
        let limit = all.first { $0.key.type == Self.qgroupLimit }
        guard info != nil || limit != nil else { return nil }
        // btrfs_qgroup_limit_item: flags, max_rfer, max_excl; BTRFS_QGROUP_LIMIT_MAX_RFER = 1, _EXCL = 2.
        let flags = limit?.uint64(at: 0) ?? 0
        return Figures(
            referenced: info?.uint64(at: 8),
            exclusive: info?.uint64(at: 24),
            referencedLimit: flags & 1 != 0 ? Self.limit(limit?.uint64(at: 8)) : nil,
            exclusiveLimit: flags & 2 != 0 ? Self.limit(limit?.uint64(at: 16)) : nil
        )
    }

    private static func limit(_ value: UInt64?) -> UInt64? { value == .max ? nil : value }

    /// The groups `qgroup` is a member of (relation items point both ways; parents have the larger ID).
    func parents(of qgroup: UInt64) throws(SystemCallError) -> [UInt64] {
        try items(
            BtrfsTreeSearch(
                treeID: Self.quotaTree,
                minimum: .init(objectID: qgroup, type: Self.qgroupRelation, offset: 0),
                maximum: .init(objectID: qgroup, type: Self.qgroupRelation, offset: .max)
            )
        ).filter { $0.key.objectID == qgroup && $0.key.type == Self.qgroupRelation && $0.key.offset >= qgroup }
            .map(\.key.offset)
    }

    /// The lowest-level group above the subvolume's leaf that shares its ID; the leaf when there is none.
    func subtreeGroup(of subvolume: UInt64) throws(SystemCallError) -> UInt64 {
        try parents(of: subvolume).filter { Self.id($0) == subvolume }.min { Self.level($0) < Self.level($1) }
            ?? subvolume
    }

    /// The figures of this directory's subvolume subtree, as portabled reports an image's or the pool's.
    func subtreeFigures() throws(SystemCallError) -> Figures? {
        try figures(of: try subtreeGroup(of: try subvolumeID()))
    }

    /// Sets a group's referenced limit (`nil`: none), waiting out a running rescan (EBUSY) a few times.
    func setLimit(_ limit: UInt64?, of qgroup: UInt64) throws(SystemCallError) {
        var attempt = 0
        while true {
            do {
                return try fd.btrfsSetQgroupLimit(qgroup, maximumReferenced: limit ?? .max)
            } catch {
                attempt += 1
                guard error.errno == EBUSY, attempt <= 10 else { throw error }
                try? fd.btrfsWaitForQuotaRescan()
            }
        }
    }

    /// The subvolume that contains `subvolume`; nil for the top level.
    func parentSubvolume(of subvolume: UInt64) throws(SystemCallError) -> UInt64? {
        try items(
            BtrfsTreeSearch(
                treeID: Self.rootTree,
                minimum: .init(objectID: subvolume, type: Self.rootBackReference, offset: 0),
                maximum: .init(objectID: subvolume, type: Self.rootBackReference, offset: .max)
            )
        ).first { $0.key.objectID == subvolume && $0.key.type == Self.rootBackReference }?.key.offset
    }

    /// The subvolume's change time (its root item's ctime) in µs: what portabled shows as a subvolume
    /// image's MTIME. nil when the root item is too old a format to have one.
    func changeTimeMicroseconds() throws(SystemCallError) -> UInt64? {
        let subvolume = try subvolumeID()
        let item = try items(
            BtrfsTreeSearch(
                treeID: Self.rootTree,
                minimum: .init(objectID: subvolume, type: Self.rootItem, offset: 0),
                maximum: .init(objectID: subvolume, type: Self.rootItem, offset: .max)
            )
        ).first { $0.key.objectID == subvolume && $0.key.type == Self.rootItem }
        let offset = FileDescriptor.btrfsRootItemChangeTimeOffset
        guard let item, let seconds = item.uint64(at: offset), offset + 12 <= item.body.count else { return nil }
        let nanoseconds = item.body[(offset + 8)..<(offset + 12)].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return seconds &* 1_000_000 &+ nanoseconds / 1000
    }

    /// Gives a subvolume its own subtree group, one level below the lowest group its parent subvolume
    /// is in (255 when the parent is in none), itself a member of the parent's groups; nothing when the
    /// subvolume is already in a group. Without quota accounting this fails with ENOTCONN.
    func autoAssignSubtreeGroup() throws(SystemCallError) {
        let subvolume = try subvolumeID()
        guard try parents(of: subvolume).isEmpty else { return }
        let parentGroups =
            try parentSubvolume(of: subvolume).map { (parent) throws(SystemCallError) in
                try parents(of: parent)
            } ?? []
        let lowest = parentGroups.map(Self.level).min() ?? 256
        guard lowest > 1 else { throw SystemCallError(call: "BTRFS_IOC_QGROUP_CREATE", errno: EBUSY) }
        let group = (lowest - 1) << Self.levelShift | subvolume
        var created = false
        do {
            try fd.btrfsCreateQgroup(group)
            created = true
        } catch {
            // Older kernels say EINVAL when quota is off, newer ones ENOTCONN.
            if error.errno == EINVAL { throw SystemCallError(call: error.call, errno: ENOTCONN, detail: error.detail) }
            guard error.errno == EEXIST else { throw error }
        }
        var rescan = false
        do {
            for parent in parentGroups { rescan = try assign(group, to: parent) || rescan }
            rescan = try assign(subvolume, to: group) || rescan
        } catch {
            if created { try? fd.btrfsCreateQgroup(group, create: false) }
            throw error
        }
        if rescan { try? fd.btrfsStartQuotaRescan() }
    }

    private func assign(_ child: UInt64, to parent: UInt64) throws(SystemCallError) -> Bool {
        do {
            return try fd.btrfsAssignQgroup(child, to: parent)
        } catch {
            guard error.errno == EEXIST else { throw error }
            return false
        }
    }
}
