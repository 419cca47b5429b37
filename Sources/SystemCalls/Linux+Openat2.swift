internal import CLinuxShims

#if canImport(Glibc)
import Glibc
#endif

/// `RESOLVE_*` flags of openat2(2).
package struct ResolveFlags: OptionSet, Sendable, Hashable {
    package let rawValue: UInt64

    package init(rawValue: UInt64) {
        self.rawValue = rawValue
    }

    /// Treat the directory fd as `/`: absolute symlinks and `..` cannot leave it.
    package static let inRoot = ResolveFlags(rawValue: UInt64(RESOLVE_IN_ROOT))
    /// Fail instead of resolving below the directory fd (no absolute paths or escaping `..`).
    package static let beneath = ResolveFlags(rawValue: UInt64(RESOLVE_BENEATH))
    /// Refuse `/proc/self/fd/…`-style magic links.
    package static let noMagicLinks = ResolveFlags(rawValue: UInt64(RESOLVE_NO_MAGICLINKS))
    /// Refuse every symlink.
    package static let noSymlinks = ResolveFlags(rawValue: UInt64(RESOLVE_NO_SYMLINKS))

    /// What every in-image lookup uses.
    package static let confinedToRoot: ResolveFlags = [.inRoot, .noMagicLinks]
}

/// `O_*` open flags, as an option set so callers need not mix C integers.
package struct OpenFlags: OptionSet, Sendable, Hashable {
    package let rawValue: Int32

    package init(rawValue: Int32) {
        self.rawValue = rawValue
    }

    /// `[.path, .directory]` without SetAlgebra's generic `init(_: some Sequence)`, which the default
    /// `init(arrayLiteral:)` calls unspecialized, looking up conformances and metadata at run time on first
    /// use: 46,000 fewer instructions at berthd's start (`Benchmarks/profile/run.sh`).
    package init(arrayLiteral flags: OpenFlags...) {
        var rawValue: Int32 = 0
        for flag in flags { rawValue |= flag.rawValue }
        self.rawValue = rawValue
    }

    package static let readOnly = OpenFlags(rawValue: O_RDONLY)
    package static let writeOnly = OpenFlags(rawValue: O_WRONLY)
    package static let readWrite = OpenFlags(rawValue: O_RDWR)
    package static let create = OpenFlags(rawValue: O_CREAT)
    package static let exclusive = OpenFlags(rawValue: O_EXCL)
    package static let truncate = OpenFlags(rawValue: O_TRUNC)
    package static let directory = OpenFlags(rawValue: O_DIRECTORY)
    package static let noFollow = OpenFlags(rawValue: O_NOFOLLOW)
    package static let path = OpenFlags(rawValue: berth_o_path_flag())
    package static let nonBlocking = OpenFlags(rawValue: O_NONBLOCK)
    package static let noControllingTerminal = OpenFlags(rawValue: O_NOCTTY)
    package static let closeOnExec = OpenFlags(rawValue: O_CLOEXEC)
}

extension FileDescriptor {
    /// openat2(2) relative to this directory fd. `O_CLOEXEC` is always added.
    package func openat2(
        _ path: String,
        flags: OpenFlags,
        mode: UInt32 = 0,
        resolve: ResolveFlags
    ) throws(SystemCallError) -> FileDescriptor {
        let allFlags = UInt64(UInt32(bitPattern: flags.union(.closeOnExec).rawValue))
        // With RESOLVE_IN_ROOT/BENEATH the kernel answers EAGAIN when a rename or mount anywhere raced
        // the walk ("..") — a retry is the documented answer; bounded so a busy system cannot spin us.
        var attempts = 0
        while true {
            do {
                let fd = try Syscall.retrying("openat2", detail: path) {
                    berth_openat2(rawValue, path, allFlags, UInt64(mode), resolve.rawValue)
                }
                return FileDescriptor(rawValue: fd)
            } catch  where error.errno == EAGAIN && attempts < 64 {
                attempts += 1
            }
        }
    }

    /// FS_IOC_GETFLAGS (inode flags such as immutable).
    package func inodeFlags() throws(SystemCallError) -> UInt32 {
        var flags: UInt32 = 0
        _ = try Syscall.retrying("ioctl", detail: "FS_IOC_GETFLAGS") { berth_get_inode_flags(rawValue, &flags) }
        return flags
    }

    /// FS_IOC_SETFLAGS.
    package func setInodeFlags(_ flags: UInt32) throws(SystemCallError) {
        _ = try Syscall.retrying("ioctl", detail: "FS_IOC_SETFLAGS") { berth_set_inode_flags(rawValue, flags) }
    }

    /// `FS_IMMUTABLE_FL`.
    package static var immutableInodeFlag: UInt32 { berth_fs_immutable_flag() }

    /// Whether this btrfs subvolume is read-only (BTRFS_IOC_SUBVOL_GETFLAGS).
    package func isReadOnlySubvolume() throws(SystemCallError) -> Bool {
        var flags: UInt64 = 0
        _ = try Syscall.retrying("ioctl", detail: "BTRFS_IOC_SUBVOL_GETFLAGS") {
            berth_btrfs_get_subvolume_flags(rawValue, &flags)
        }
        return flags & berth_btrfs_subvolume_readonly_flag() != 0
    }

    /// Sets or clears the read-only flag of this btrfs subvolume.
    package func setReadOnlySubvolume(_ readOnly: Bool) throws(SystemCallError) {
        var flags: UInt64 = 0
        _ = try Syscall.retrying("ioctl", detail: "BTRFS_IOC_SUBVOL_GETFLAGS") {
            berth_btrfs_get_subvolume_flags(rawValue, &flags)
        }
        let bit = berth_btrfs_subvolume_readonly_flag()
        flags = readOnly ? flags | bit : flags & ~bit
        _ = try Syscall.retrying("ioctl", detail: "BTRFS_IOC_SUBVOL_SETFLAGS") {
            berth_btrfs_set_subvolume_flags(rawValue, flags)
        }
    }
}
