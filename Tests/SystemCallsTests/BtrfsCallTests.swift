import Glibc
import SystemCalls
import TestSupport
import Testing

/// The btrfs quota ioctls on a real btrfs in a loop-mounted file, each checked against what the `btrfs`
/// tool then reports; the tree-search key order and result parsing on their own.
@Suite("btrfs ioctls", .serialized)
struct BtrfsCallTests {
    static let unavailable = BtrfsLoopFileSystem.unavailableReason
    typealias Key = BtrfsTreeSearch.Key

    @Test("keys order as (objectid, type, offset) and step over each field's end")
    func keyOrder() {
        #expect(Key(objectID: 1, type: 9, offset: 9) < Key(objectID: 2, type: 0, offset: 0))
        #expect(Key(objectID: 1, type: 1, offset: .max) < Key(objectID: 1, type: 2, offset: 0))
        #expect(Key(objectID: 1, type: 1, offset: 7).successor == Key(objectID: 1, type: 1, offset: 8))
        #expect(Key(objectID: 1, type: 1, offset: .max).successor == Key(objectID: 1, type: 2, offset: 0))
        #expect(Key(objectID: 1, type: .max, offset: .max).successor == Key(objectID: 2, type: 0, offset: 0))
        #expect(Key(objectID: .max, type: .max, offset: .max).successor == nil)
        var search = BtrfsTreeSearch(
            treeID: 8,
            minimum: Key(objectID: 0, type: 240, offset: 5),
            maximum: Key(objectID: 0, type: 244, offset: 5)
        )
        let advanced = search.advance(past: Key(objectID: 0, type: 242, offset: 5))
        #expect(advanced && search.minimum == Key(objectID: 0, type: 242, offset: 6) && !search.isEmpty)
        let pastEnd = search.advance(past: Key(objectID: 0, type: 244, offset: 5))
        #expect(pastEnd && search.isEmpty)
        var last = search
        let beyondLargest = last.advance(past: Key(objectID: .max, type: .max, offset: .max))
        #expect(!beyondLargest)
    }

    @Test(
        "QUOTA_CTL, QGROUP_CREATE, ASSIGN and LIMIT change what btrfs qgroup show lists; TREE_SEARCH reads it",
        .enabled(if: unavailable == nil, "\(unavailable ?? "")")
    )
    func quotaGroups() throws {
        let fs = try BtrfsLoopFileSystem(prefix: "berth-btrfs-calls")
        defer { fs.unmount() }
        do {
            let fd = try FileDescriptor.currentWorkingDirectory.openat(fs.mountPoint, flags: [.directory, .readOnly])
            defer { fd.close() }
            #expect(try fd.btrfsSubvolumeID() == 5)
            let quotaInfo = BtrfsTreeSearch(
                treeID: 8,
                minimum: Key(objectID: 0, type: 242, offset: 5),
                maximum: Key(objectID: 0, type: 242, offset: 5)
            )
            // Quota off: the quota tree does not exist.
            #expect(throws: SystemCallError(call: "ioctl", errno: ENOENT, detail: "BTRFS_IOC_TREE_SEARCH")) {
                try fd.btrfsTreeSearch(quotaInfo)
            }

            try fd.btrfsSetQuota(enabled: true)
            try fd.btrfsWaitForQuotaRescan()
            #expect(try fd.btrfsQuotaRescanIsRunning() == false)
            let items = try fd.btrfsTreeSearch(quotaInfo)
            #expect(items.map(\.key) == [Key(objectID: 0, type: 242, offset: 5)])
            // btrfs_qgroup_info_item: generation, rfer, rfer_cmpr, excl, excl_cmpr.
            #expect(items.first?.uint64(at: 8) == (try fs.quotaGroups())["0/5"]?.referenced)

            let group: UInt64 = 1 << 48 | 100
            try fd.btrfsCreateQgroup(group)
            _ = try fd.btrfsAssignQgroup(5, to: group)
            try fd.btrfsSetQgroupLimit(group, maximumReferenced: 8 << 20)
            #expect(try fs.quotaGroups()["1/100"]?.referencedLimit == 8 << 20)
            let relations = try fd.btrfsTreeSearch(
                BtrfsTreeSearch(
                    treeID: 8,
                    minimum: Key(objectID: 5, type: 246, offset: 0),
                    maximum: Key(objectID: 5, type: 246, offset: .max)
                )
            )
            #expect(relations.map(\.key.offset) == [group])
            #expect(try fs.btrfs(["qgroup", "show", "-p", fs.mountPoint]).contains("1/100"))

            try fd.btrfsSetQgroupLimit(group, maximumReferenced: .max)
            #expect(try fs.quotaGroups()["1/100"]?.referencedLimit == nil)
            try fd.btrfsSetQuota(enabled: false)
            #expect(throws: RawImageTools.Failure.self) { try fs.quotaGroups() }
        }
        fs.unmount()
        #expect(fs.leftovers.isEmpty, "\(fs.leftovers)")
    }

    @Test("a search result buffer splits into items; a header running past the end stops the list")
    func parsing() {
        var buffer = [UInt8](repeating: 0, count: 96)
        func put(_ value: UInt64, at offset: Int) {
            withUnsafeBytes(of: value) { buffer.replaceSubrange(offset..<offset + 8, with: $0) }
        }
        func put32(_ value: UInt32, at offset: Int) {
            withUnsafeBytes(of: value) { buffer.replaceSubrange(offset..<offset + 4, with: $0) }
        }
        put(7, at: 8)  // objectid
        put(9, at: 16)  // offset
        put32(242, at: 24)  // type
        put32(8, at: 28)  // len
        put(0x0102_0304, at: 32)  // body, little-endian on this machine
        put32(200, at: 40 + 28)  // a second header would claim 200 bytes: beyond the buffer
        let items = BtrfsTreeSearch.items(in: buffer, count: 2)
        #expect(items.count == 1)
        #expect(items.first?.key == Key(objectID: 7, type: 242, offset: 9))
        #expect(items.first?.uint64(at: 0) == 0x0102_0304 && items.first?.uint64(at: 1) == nil)
    }
}
