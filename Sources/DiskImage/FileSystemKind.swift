/// File systems recognised by superblock, and how the kernel names them for `fsopen`.
package enum FileSystemKind: String, Sendable, Hashable, CaseIterable {
    case squashfs, erofs, ext4, btrfs

    /// Whether the file system is read-only by design (no journal replay or other writes at mount).
    package var isInherentlyReadOnly: Bool { self == .squashfs || self == .erofs }
}

/// Identifies a file system (or a LUKS2 header) from its superblock magic, at a base offset.
///
/// Only magic numbers are checked: the kernel's own superblock validation at mount time is the
/// authority, and anything it rejects comes back as `.unsupportedFileSystem`.
package enum ContentProbe {
    package enum Content: Sendable, Hashable {
        case fileSystem(FileSystemKind)
        case luks
    }

    package static func identify(_ reader: some ByteReader, at base: UInt64 = 0, size: UInt64? = nil) -> Content? {
        let limit = size ?? (reader.size >= base ? reader.size - base : 0)
        func bytes(_ offset: UInt64, _ count: Int) -> [UInt8]? {
            guard UInt64(count) <= limit, offset <= limit - UInt64(count) else { return nil }
            return try? reader.read(at: base + offset, count: count)
        }
        if let magic = bytes(0, 6), magic == [0x4C, 0x55, 0x4B, 0x53, 0xBA, 0xBE] { return .luks }  // "LUKS\xba\xbe"
        if let magic = bytes(0, 4), magic == Array("hsqs".utf8) { return .fileSystem(.squashfs) }
        if let magic = bytes(1024, 4), magic == [0xE2, 0xE1, 0xF5, 0xE0] { return .fileSystem(.erofs) }
        if let magic = bytes(1024 + 56, 2), magic == [0x53, 0xEF] { return .fileSystem(.ext4) }
        if let magic = bytes(0x10040, 8), magic == Array("_BHRfS_M".utf8) { return .fileSystem(.btrfs) }
        return nil
    }
}
