import SystemCalls

#if canImport(Glibc)
import Glibc
#endif

/// The host file system as the engine sees it: `/`, or the `--root` directory treated as `/`.
///
/// Every host path the engine handles is absolute *as seen inside the tree* and is resolved with
/// `RESOLVE_IN_ROOT`, so in `--root` mode a symlink in the offline tree (`/etc/portables/x → /var/…`)
/// resolves inside the tree, never on the machine running the tool.
package final class HostTree: Sendable {
    /// The tree's directory on the machine ("/" normally).
    package let rootPath: String
    let rootDescriptor: FileDescriptor

    package init(rootPath: String = "/") throws(PortableError) {
        guard PortableNames.isNormalizedAbsolutePath(rootPath) else {
            throw .invalidArgument(parameter: "root", reason: "'\(rootPath)' is not a normalized absolute path.")
        }
        self.rootPath = rootPath
        do {
            rootDescriptor = try FileDescriptor.currentWorkingDirectory.openat(rootPath, flags: [.path, .directory])
        } catch {
            throw .systemError(operation: "open root directory", path: rootPath, error: error)
        }
    }

    deinit {
        rootDescriptor.close()
    }

    /// Whether this is an offline tree rather than the running system.
    package var isOffline: Bool { rootPath != "/" }

    /// The machine path of a tree path, for messages and change records.
    package func displayPath(_ path: String) -> String {
        isOffline ? (path == "/" ? rootPath : rootPath + path) : path
    }

    /// The tree-relative form `openat2` wants ("." for the root).
    static func relative(_ path: String) -> String {
        let trimmed = path.drop { $0 == "/" }
        return trimmed.isEmpty ? "." : String(trimmed)
    }

    /// Opens a tree path, all symlinks resolved inside the tree.
    func open(_ path: String, flags: OpenFlags, mode: UInt32 = 0) throws(SystemCallError) -> FileDescriptor {
        try rootDescriptor.openat2(Self.relative(path), flags: flags, mode: mode, resolve: .confinedToRoot)
    }

    /// Opens a directory of the tree; nil if it does not exist.
    func openDirectoryIfPresent(_ path: String) throws(SystemCallError) -> FileDescriptor? {
        do {
            return try open(path, flags: [.directory, .readOnly])
        } catch  where error.errno == ENOENT || error.errno == ENOTDIR {
            return nil
        }
    }

    /// lstat of a tree path (the last component is not followed; the parents resolve inside the tree).
    /// One O_PATH|O_NOFOLLOW open of the whole path: a missing file (most of attach's checks) costs one
    /// syscall, not an open of the parent, an fstatat and a close.
    func status(_ path: String) throws(SystemCallError) -> FileStatus? {
        let fd: FileDescriptor
        do { fd = try open(path, flags: [.path, .noFollow]) } catch
            where error.errno == ENOENT || error.errno == ENOTDIR
        {
            return nil
        }
        defer { fd.close() }
        return try fd.status()
    }

    /// Creates `path` and missing parents (0755); returns the directories it created, outermost first.
    @discardableResult
    func makeDirectories(_ path: String) throws(SystemCallError) -> [String] {
        // Usually it exists (every file of a transaction after the first): one open says so.
        if let existing = try? open(path, flags: [.directory, .path]) {
            existing.close()
            return []
        }
        var created: [String] = []
        var current = ""
        for component in path.split(separator: "/") {
            current += "/" + component
            let parent = try open(PortableNames.parent(current), flags: [.directory, .path])
            defer { parent.close() }
            do {
                try parent.makeDirectory(String(component), mode: 0o755)
                created.append(current)
            } catch  where error.errno == EEXIST {
                continue
            }
        }
        return created
    }

    /// Reads a host file (profiles, drop-in markers) with a size cap; nil when it does not exist.
    func readFile(_ path: String, limit: Int) throws(SystemCallError) -> [UInt8]? {
        let fd: FileDescriptor
        do {
            fd = try open(path, flags: [.readOnly, .nonBlocking, .noControllingTerminal])
        } catch  where error.errno == ENOENT || error.errno == ENOTDIR {
            return nil
        }
        defer { fd.close() }
        guard try fd.status().kind == .regular else { throw SystemCallError(call: "open", errno: EBADF, detail: path) }
        return try fd.readAll(limit: limit)
    }

    /// The first line of a file, reading at most `limit` bytes; nil if absent or not a regular file.
    func firstLine(_ path: String, limit: Int = 8192) -> String? {
        guard let fd = try? open(path, flags: [.readOnly, .nonBlocking, .noControllingTerminal]) else { return nil }
        defer { fd.close() }
        guard (try? fd.status().kind) == .regular else { return nil }
        let bytes = (try? fd.read(atOffset: 0, count: limit)) ?? []
        let line = bytes.prefix { $0 != UInt8(ascii: "\n") }
        return String(validating: Array(line), as: UTF8.self)
    }
}
