internal import CLinuxShims

#if canImport(Glibc)
import Glibc
#endif

/// The fields of `struct stat` that callers use, without exposing the C type.
package struct FileStatus: Sendable, Equatable {
    /// What kind of inode this is.
    package enum Kind: Sendable, Hashable {
        case regular, directory, symbolicLink, fifo, socket, characterDevice, blockDevice, unknown

        /// The kind the `S_IFMT` bits of `mode` name; other bits are ignored.
        package init(fileTypeBits mode: UInt32) {
            self =
                switch mode & UInt32(S_IFMT) {
                case UInt32(S_IFREG): .regular
                case UInt32(S_IFDIR): .directory
                case UInt32(S_IFLNK): .symbolicLink
                case UInt32(S_IFIFO): .fifo
                case UInt32(S_IFSOCK): .socket
                case UInt32(S_IFCHR): .characterDevice
                case UInt32(S_IFBLK): .blockDevice
                default: .unknown
                }
        }
    }

    package var device: UInt64
    package var inode: UInt64
    /// The full `st_mode`, file type bits included.
    package var mode: UInt32
    package var linkCount: UInt64
    package var userID: UInt32
    package var groupID: UInt32
    package var size: Int64
    /// Allocated 512-byte blocks (`st_blocks`), to tell sparse files from dense ones.
    package var blocks: Int64
    package var modificationTimeMicroseconds: UInt64
    package var changeTimeMicroseconds: UInt64

    init(_ raw: stat) {
        device = UInt64(raw.st_dev)
        inode = UInt64(raw.st_ino)
        mode = UInt32(raw.st_mode)
        linkCount = UInt64(raw.st_nlink)
        userID = raw.st_uid
        groupID = raw.st_gid
        size = Int64(raw.st_size)
        blocks = Int64(raw.st_blocks)
        modificationTimeMicroseconds =
            UInt64(max(0, raw.st_mtim.tv_sec)) * 1_000_000 + UInt64(max(0, raw.st_mtim.tv_nsec)) / 1000
        changeTimeMicroseconds =
            UInt64(max(0, raw.st_ctim.tv_sec)) * 1_000_000 + UInt64(max(0, raw.st_ctim.tv_nsec)) / 1000
    }

    init(_ raw: berth_statx) {
        device = raw.device
        inode = raw.inode
        mode = raw.mode
        linkCount = raw.link_count
        userID = raw.uid
        groupID = raw.gid
        size = raw.size
        blocks = raw.blocks
        modificationTimeMicroseconds = UInt64(max(0, raw.mtime_sec)) * 1_000_000 + UInt64(raw.mtime_nsec) / 1000
        changeTimeMicroseconds = UInt64(max(0, raw.ctime_sec)) * 1_000_000 + UInt64(raw.ctime_nsec) / 1000
    }

    package var kind: Kind { Kind(fileTypeBits: mode) }

    /// Permission bits including setuid/setgid/sticky.
    package var permissions: UInt32 { mode & 0o7777 }
}

/// The fields of `struct statfs` callers need.
package struct FileSystemStatus: Sendable, Equatable {
    /// `f_type`, the file system magic number.
    package var type: UInt64
    /// `f_flags` (ST_RDONLY etc.).
    package var flags: UInt64

    /// btrfs' `BTRFS_SUPER_MAGIC`.
    package static let btrfsMagic: UInt64 = 0x9123_683E

    package var isBtrfs: Bool { type == Self.btrfsMagic }
    package var isReadOnly: Bool { flags & UInt64(ST_RDONLY) != 0 }
}

/// `FileStatus` plus what statx(2) adds: nil where the kernel or the file system does not say.
package struct ExtendedFileStatus: Sendable, Equatable {
    package var status: FileStatus
    /// The mount the file is on (`STATX_MNT_ID`, Linux 5.8).
    package var mountID: UInt64?
    /// `STATX_ATTR_IMMUTABLE` (`chattr +i`), where the file system reports it.
    package var isImmutable: Bool?
    /// Birth time in µs (`STATX_BTIME`), where the file system records it.
    package var birthTimeMicroseconds: UInt64? = nil
}
