/// One range of a btrfs tree for `FileDescriptor.btrfsTreeSearch`, and the items it returns.
///
/// btrfs keys compare as (objectid, type, offset); the kernel returns the items between the minimum and
/// the maximum key, and callers page through a range by moving the minimum past the last item seen
/// (`advance(past:)`), as btrfs-progs and systemd's btrfs-util do.
package struct BtrfsTreeSearch: Sendable, Hashable {
    /// The tree to search (`BTRFS_ROOT_TREE_OBJECTID`, `BTRFS_QUOTA_TREE_OBJECTID`, a subvolume ID).
    package var treeID: UInt64
    package var minimum: Key
    package var maximum: Key

    /// A btrfs key.
    package struct Key: Sendable, Hashable, Comparable {
        package var objectID: UInt64
        package var type: UInt8
        package var offset: UInt64

        package init(objectID: UInt64, type: UInt8, offset: UInt64) {
            self.objectID = objectID
            self.type = type
            self.offset = offset
        }

        package static func < (lhs: Key, rhs: Key) -> Bool {
            (lhs.objectID, lhs.type, lhs.offset) < (rhs.objectID, rhs.type, rhs.offset)
        }

        /// The next key in btrfs order; nil after the largest.
        package var successor: Key? {
            if offset < .max { return Key(objectID: objectID, type: type, offset: offset + 1) }
            if type < .max { return Key(objectID: objectID, type: type + 1, offset: 0) }
            if objectID < .max { return Key(objectID: objectID + 1, type: 0, offset: 0) }
            return nil
        }
    }

    /// An item found: its key and its body (the on-disk little-endian struct).
    package struct Item: Sendable, Hashable {
        package var key: Key
        package var body: [UInt8]

        /// The little-endian 64-bit field at `offset` of the body; nil when the body is shorter.
        package func uint64(at offset: Int) -> UInt64? {
            guard offset >= 0, offset + 8 <= body.count else { return nil }
            var value: UInt64 = 0
            for index in (0..<8).reversed() { value = value << 8 | UInt64(body[offset + index]) }
            return value
        }
    }

    package init(treeID: UInt64, minimum: Key, maximum: Key) {
        self.treeID = treeID
        self.minimum = minimum
        self.maximum = maximum
    }

    /// Whether the range still holds keys to look at.
    package var isEmpty: Bool { maximum < minimum }

    /// Moves the minimum past `key`, so the next search starts after the items already seen; false when
    /// `key` was the largest there is.
    package mutating func advance(past key: Key) -> Bool {
        guard let next = key.successor else { return false }
        minimum = max(minimum, next)
        return true
    }

    /// Splits a BTRFS_IOC_TREE_SEARCH result buffer into items; a header claiming more bytes than the
    /// buffer holds ends the list (the kernel never writes one, but the buffer is trusted no further).
    package static func items(in buffer: [UInt8], count: Int) -> [Item] {
        // struct btrfs_ioctl_search_header: transid, objectid, offset (u64), type, len (u32), native order.
        let headerSize = 32
        var items: [Item] = []
        var position = 0
        func native<T: FixedWidthInteger>(_ type: T.Type, at offset: Int) -> T {
            buffer.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: T.self) }
        }
        for _ in 0..<count {
            guard position + headerSize <= buffer.count else { break }
            let objectID = native(UInt64.self, at: position + 8)
            let offset = native(UInt64.self, at: position + 16)
            let type = native(UInt32.self, at: position + 24)
            let length = Int(native(UInt32.self, at: position + 28))
            let bodyStart = position + headerSize
            guard length <= buffer.count - bodyStart else { break }
            items.append(
                Item(
                    key: Key(objectID: objectID, type: UInt8(truncatingIfNeeded: type), offset: offset),
                    body: Array(buffer[bodyStart..<bodyStart + length])
                )
            )
            position = bodyStart + length
        }
        return items
    }
}
