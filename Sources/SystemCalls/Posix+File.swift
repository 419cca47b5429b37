internal import CLinuxShims

#if canImport(Glibc)
import Glibc
#endif

/// The `*at` path calls, relative to a directory descriptor (or `.currentWorkingDirectory`).
extension FileDescriptor {
    /// openat(2). `O_CLOEXEC` is always added.
    package func openat(_ path: String, flags: OpenFlags, mode: UInt32 = 0) throws(SystemCallError) -> FileDescriptor {
        let all = flags.union(.closeOnExec).rawValue
        let fd = try Syscall.retrying("openat", detail: path) { Glibc.openat(rawValue, path, all, mode_t(mode)) }
        return FileDescriptor(rawValue: fd)
    }

    /// Opens the file this descriptor refers to (any mode, `O_PATH` included) again, read-only, through
    /// `/proc/self/fd`, and checks the new descriptor is still `expected`'s inode (`ESTALE` otherwise), so
    /// a file swapped in between is never read. Returns the new descriptor, which the caller closes, and its status.
    package func reopenForReading(
        expecting expected: FileStatus
    ) throws(SystemCallError) -> (FileDescriptor, FileStatus) {
        let readable = try FileDescriptor.currentWorkingDirectory.openat(
            "/proc/self/fd/\(rawValue)",
            flags: [.readOnly, .nonBlocking, .noControllingTerminal]
        )
        do throws(SystemCallError) {
            let status = try readable.status()
            guard status.device == expected.device, status.inode == expected.inode else {
                throw SystemCallError(call: "open", errno: ESTALE, detail: "/proc/self/fd/\(rawValue)")
            }
            return (readable, status)
        } catch {
            readable.close()
            throw error
        }
    }

    /// fstatat(2); `followSymlinks: false` uses `AT_SYMLINK_NOFOLLOW`.
    package func status(of path: String, followSymlinks: Bool = false) throws(SystemCallError) -> FileStatus {
        var raw = stat()
        let flags = followSymlinks ? 0 : AT_SYMLINK_NOFOLLOW
        _ = try Syscall.retrying("fstatat", detail: path) { fstatat(rawValue, path, &raw, flags) }
        return FileStatus(raw)
    }

    /// fstat(2) of this descriptor (works on `O_PATH` fds too).
    package func status() throws(SystemCallError) -> FileStatus {
        var raw = stat()
        _ = try Syscall.retrying("fstat") { fstat(rawValue, &raw) }
        return FileStatus(raw)
    }

    /// statx(2) of `path` below this directory (`""`: the descriptor itself), not following a last symlink.
    package func extendedStatus(of path: String) throws(SystemCallError) -> ExtendedFileStatus {
        var raw = berth_statx()
        _ = try Syscall.retrying("statx", detail: path) { berth_statx(rawValue, path, &raw) }
        return ExtendedFileStatus(
            status: FileStatus(raw),
            mountID: raw.has_mount_id != 0 ? raw.mount_id : nil,
            isImmutable: raw.immutable_known != 0 ? raw.immutable != 0 : nil,
            birthTimeMicroseconds: raw.has_btime != 0 && raw.btime_sec >= 0
                ? UInt64(raw.btime_sec) * 1_000_000 + UInt64(raw.btime_nsec / 1000) : nil
        )
    }

    /// fstatfs(2).
    package func fileSystemStatus() throws(SystemCallError) -> FileSystemStatus {
        var type: UInt64 = 0
        var flags: UInt64 = 0
        _ = try Syscall.retrying("fstatfs") { berth_fstatfs(rawValue, &type, &flags) }
        return FileSystemStatus(type: type, flags: flags)
    }

    /// readlinkat(2); the target as raw text.
    package func readLink(_ path: String) throws(SystemCallError) -> String {
        var buffer = [UInt8](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = try Syscall.retrying("readlinkat", detail: path) {
            buffer.withUnsafeMutableBytes {
                readlinkat(rawValue, path, $0.baseAddress!.assumingMemoryBound(to: CChar.self), $0.count)
            }
        }
        if count >= buffer.count { throw SystemCallError(call: "readlinkat", errno: ENAMETOOLONG, detail: path) }
        return String(decoding: buffer[0..<count], as: UTF8.self)
    }

    /// mkdirat(2).
    package func makeDirectory(_ path: String, mode: UInt32 = 0o755) throws(SystemCallError) {
        _ = try Syscall.retrying("mkdirat", detail: path) { mkdirat(rawValue, path, mode_t(mode)) }
    }

    /// unlinkat(2) of a non-directory.
    package func unlink(_ path: String) throws(SystemCallError) {
        _ = try Syscall.retrying("unlinkat", detail: path) { unlinkat(rawValue, path, 0) }
    }

    /// unlinkat(2) with `AT_REMOVEDIR`.
    package func removeDirectory(_ path: String) throws(SystemCallError) {
        _ = try Syscall.retrying("unlinkat", detail: path) { unlinkat(rawValue, path, AT_REMOVEDIR) }
    }

    /// How renameat2(2) treats an existing destination.
    package enum RenameMode: Sendable {
        case replace, noReplace, exchange

        var flags: UInt32 {
            switch self {
            case .replace: 0
            case .noReplace: berth_rename_noreplace()
            case .exchange: berth_rename_exchange()
            }
        }
    }

    /// renameat2(2) from a path relative to this fd to one relative to `destinationDirectory`.
    package func rename(
        _ source: String,
        to destination: String,
        in destinationDirectory: FileDescriptor? = nil,
        mode: RenameMode = .replace
    ) throws(SystemCallError) {
        let target = (destinationDirectory ?? self).rawValue
        _ = try Syscall.retrying("renameat2", detail: "\(source) → \(destination)") {
            berth_renameat2(rawValue, source, target, destination, mode.flags)
        }
    }

    /// symlinkat(2): creates `path` (relative to this fd) pointing at `target`.
    package func makeSymbolicLink(_ path: String, to target: String) throws(SystemCallError) {
        _ = try Syscall.retrying("symlinkat", detail: path) { symlinkat(target, rawValue, path) }
    }

    /// fchmodat(2) of a path relative to this fd (follows no symlink on the last component it cannot, so
    /// callers pass regular files only).
    package func changeMode(of path: String, to mode: UInt32) throws(SystemCallError) {
        _ = try Syscall.retrying("fchmodat", detail: path) { fchmodat(rawValue, path, mode_t(mode), 0) }
    }
}
