import SystemCalls

#if canImport(Glibc)
import Glibc
#endif

/// The write side of the host tree: everything goes through the parent directory's fd, so every step
/// acts on exactly the directory that was resolved inside the tree.
extension HostTree {
    /// Runs `body` with the parent directory of `path` opened, and the last component.
    func withParent<T>(
        of path: String,
        _ body: (FileDescriptor, String) throws(SystemCallError) -> T
    ) throws(SystemCallError) -> T {
        let directory = try open(PortableNames.parent(path), flags: [.directory, .readOnly])
        defer { directory.close() }
        return try body(directory, PortableNames.lastComponent(path))
    }

    /// Writes a new file `path` (which must not exist) and, when `durable`, fsyncs it.
    func writeNewFile(_ path: String, contents: [UInt8], mode: UInt32, durable: Bool = true) throws(SystemCallError) {
        try withParent(of: path) { (directory, name) throws(SystemCallError) in
            let fd = try directory.openat(name, flags: [.writeOnly, .create, .exclusive, .noFollow], mode: mode)
            defer { fd.close() }
            try fd.writeAll(contents)
            try fd.changeMode(to: mode)
            if durable { try fd.sync() }
        }
    }

    func makeSymbolicLink(_ path: String, to target: String) throws(SystemCallError) {
        try withParent(of: path) { (directory, name) throws(SystemCallError) in
            try directory.makeSymbolicLink(name, to: target)
        }
    }

    /// rename(2) within one directory tree path to another, replacing the destination atomically.
    func rename(_ source: String, to destination: String) throws(SystemCallError) {
        let sourceDirectory = try open(PortableNames.parent(source), flags: [.directory, .readOnly])
        defer { sourceDirectory.close() }
        let destinationDirectory = try open(PortableNames.parent(destination), flags: [.directory, .readOnly])
        defer { destinationDirectory.close() }
        try sourceDirectory.rename(
            PortableNames.lastComponent(source),
            to: PortableNames.lastComponent(destination),
            in: destinationDirectory
        )
    }

    /// Removes a file or symlink; false if it was already gone.
    @discardableResult
    func removeFile(_ path: String) throws(SystemCallError) -> Bool {
        do {
            try withParent(of: path) { (directory, name) throws(SystemCallError) in try directory.unlink(name) }
            return true
        } catch  where error.errno == ENOENT {
            return false
        }
    }

    /// Removes an empty directory; false if it was gone or is not empty.
    @discardableResult
    func removeEmptyDirectory(_ path: String) throws(SystemCallError) -> Bool {
        do {
            try withParent(of: path) { (directory, name) throws(SystemCallError) in try directory.removeDirectory(name)
            }
            return true
        } catch  where error.errno == ENOENT || error.errno == ENOTEMPTY || error.errno == EEXIST {
            return false
        }
    }

    /// fsync of a directory, so renames and unlinks in it are durable.
    func syncDirectory(_ path: String) {
        guard let fd = try? open(path, flags: [.directory, .readOnly]) else { return }
        defer { fd.close() }
        try? fd.sync()
    }

    /// `rm -rf` of a tree path without following symlinks and without crossing into other mounts.
    func removeTree(_ path: String) throws(SystemCallError) {
        try withParent(of: path) { (directory, name) throws(SystemCallError) in
            let status: FileStatus
            do throws(SystemCallError) { status = try directory.status(of: name) } catch  where error.errno == ENOENT {
                return
            }
            if status.kind != .directory {
                try directory.unlink(name)
                return
            }
            try Self.removeContents(of: directory, name: name, device: status.device)
            try directory.removeDirectory(name)
        }
    }

    private static func removeContents(of parent: FileDescriptor, name: String, device: UInt64) throws(SystemCallError)
    {
        let directory = try parent.openat(name, flags: [.directory, .readOnly, .noFollow])
        defer { directory.close() }
        // Clear the immutable flag set by read-only marking, or nothing below could be removed.
        if let flags = try? directory.inodeFlags(), flags & FileDescriptor.immutableInodeFlag != 0 {
            try? directory.setInodeFlags(flags & ~FileDescriptor.immutableInodeFlag)
        }
        for entry in try directory.directoryEntries() {
            let status = try directory.status(of: entry.name)
            if status.kind == .directory {
                guard status.device == device else {
                    throw SystemCallError(call: "unlinkat", errno: EXDEV, detail: entry.name)
                }
                try removeContents(of: directory, name: entry.name, device: device)
                try directory.removeDirectory(entry.name)
            } else {
                try directory.unlink(entry.name)
            }
        }
    }

    static let copyMarkerAttribute = "user.berth.copy-of"

    /// The image a mixed-mode copy was made from, if `path` is such a copy.
    func copiedImageSource(_ path: String) -> String? {
        guard let fd = try? open(path, flags: [.readOnly, .noFollow, .nonBlocking]) else { return nil }
        defer { fd.close() }
        return (try? fd.extendedAttribute(Self.copyMarkerAttribute)).flatMap { $0 }.map {
            String(decoding: $0, as: UTF8.self)
        }
    }

    /// Copies the tree at `source` to the new directory `destination` (regular files, directories and
    /// symlinks; other inode types are skipped), or a raw image file to the new file `destination`,
    /// fsyncing what it writes.
    func copyTree(from source: String, to destination: String) throws(SystemCallError) {
        let sourceFD = try open(source, flags: [.readOnly, .nonBlocking])
        defer { sourceFD.close() }
        let status = try sourceFD.status()
        let mode = status.permissions
        if status.kind == .regular {
            try copyFile(sourceFD, from: source, to: destination, mode: mode)
            return
        }
        guard status.kind == .directory else { throw SystemCallError(call: "copy", errno: EINVAL, detail: source) }
        try withParent(of: destination) { (directory, name) throws(SystemCallError) in
            try directory.makeDirectory(name, mode: 0o700)
            let target = try directory.openat(name, flags: [.directory, .readOnly, .noFollow])
            defer { target.close() }
            try Self.copyContents(from: sourceFD, to: target)
            // Marks the copy as ours, so detach removes only copies it made, never an image of the same
            // name that an admin stored in the portables directory.
            try target.setExtendedAttribute(Self.copyMarkerAttribute, value: Array(source.utf8))
            try target.changeMode(to: mode & 0o7777)
            try target.sync()
        }
    }

    /// A raw image's copy, marked like a tree's copy.
    private func copyFile(
        _ input: FileDescriptor,
        from source: String,
        to destination: String,
        mode: UInt32
    ) throws(SystemCallError) {
        try withParent(of: destination) { (directory, name) throws(SystemCallError) in
            let output = try directory.openat(name, flags: [.writeOnly, .create, .exclusive, .noFollow], mode: 0o600)
            defer { output.close() }
            try input.copyAll(to: output)
            try output.setExtendedAttribute(Self.copyMarkerAttribute, value: Array(source.utf8))
            try output.changeMode(to: mode & 0o7777)
            try output.sync()
        }
    }

    private static func copyContents(from source: FileDescriptor, to target: FileDescriptor) throws(SystemCallError) {
        for entry in try source.directoryEntries() {
            let status = try source.status(of: entry.name)
            switch status.kind {
            case .directory:
                let child = try source.openat(entry.name, flags: [.directory, .readOnly, .noFollow])
                defer { child.close() }
                try target.makeDirectory(entry.name, mode: 0o700)
                let copy = try target.openat(entry.name, flags: [.directory, .readOnly, .noFollow])
                defer { copy.close() }
                try copyContents(from: child, to: copy)
                try copy.changeMode(to: status.permissions)
            case .regular:
                let input = try source.openat(entry.name, flags: [.readOnly, .noFollow, .nonBlocking])
                defer { input.close() }
                let output = try target.openat(
                    entry.name,
                    flags: [.writeOnly, .create, .exclusive, .noFollow],
                    mode: 0o600
                )
                defer { output.close() }
                try input.copyAll(to: output)
                try output.changeMode(to: status.permissions)
                try output.sync()
            case .symbolicLink:
                try target.makeSymbolicLink(entry.name, to: try source.readLink(entry.name))
            default:
                continue
            }
        }
    }
}
