import Synchronization
import SystemCalls

#if canImport(Glibc)
import Glibc
#endif

/// A file read from inside an image.
struct ImageFile: Sendable {
    /// The path that was asked for, inside the image.
    var path: String
    var bytes: [UInt8]
    /// Where the file really is inside the image after symlink resolution (for symlink copy mode).
    var resolvedPath: String?
}

extension ImageRoot {
    /// Size caps: release files are small by definition; unit files are generous but bounded.
    static let releaseFileLimit = 64 * 1024
    static let unitFileLimit = 1024 * 1024

    /// Reads a regular file inside the image, every symlink resolved inside the image.
    ///
    /// The file is first opened `O_PATH` (no side effects, even on devices or FIFOs), checked to be a regular
    /// file within the size cap, and only then reopened for reading through `/proc/self/fd`, which reopens
    /// the very same inode (no window for a swap). Returns nil when the file does not exist.
    func readRegularFile(
        _ inImagePath: String,
        limit: Int,
        followLast: Bool = true
    ) throws(PortableError)
        -> ImageFile?
    {
        guard let handle = try open(inImagePath, flags: followLast ? [.path] : [.path, .noFollow]) else { return nil }
        defer { handle.close() }
        let status: FileStatus
        do { status = try handle.status() } catch { throw bad(inImagePath, "cannot be inspected: \(error.message)") }
        guard status.kind == .regular else {
            throw bad(inImagePath, "is not a regular file (\(describe(status.kind)))")
        }
        guard status.size <= Int64(limit) else {
            throw bad(inImagePath, "is too large (\(status.size) bytes, at most \(limit) allowed)")
        }
        let reader: FileDescriptor
        do {
            reader = try handle.reopenForReading(expecting: status).0
        } catch {
            throw bad(inImagePath, "cannot be opened for reading: \(error.message)")
        }
        defer { reader.close() }
        let bytes: [UInt8]
        do {
            bytes = try reader.readAll(limit: limit)
        } catch  where error.errno == EFBIG {
            throw bad(inImagePath, "grew beyond \(limit) bytes while being read")
        } catch {
            throw bad(inImagePath, "cannot be read: \(error.message)")
        }
        return ImageFile(path: inImagePath, bytes: bytes, resolvedPath: resolvedPath(of: handle))
    }

    /// The in-image path an fd refers to, from `/proc/self/fd` (nil if it cannot be expressed).
    private func resolvedPath(of handle: FileDescriptor) -> String? {
        let cached = descriptorTarget.withLock { $0 }
        guard let target = try? FileDescriptor.currentWorkingDirectory.readLink("/proc/self/fd/\(handle.rawValue)"),
            let rootTarget = cached
                ?? (try? FileDescriptor.currentWorkingDirectory.readLink("/proc/self/fd/\(descriptor.rawValue)"))
        else { return nil }
        if cached == nil { descriptorTarget.withLock { $0 = rootTarget } }
        if rootTarget == "/" { return target }
        guard target.hasPrefix(rootTarget + "/") else { return nil }
        return String(target.dropFirst(rootTarget.count))
    }

    func bad(_ file: String, _ reason: String) -> PortableError {
        .badImage(image: path, reason: reason, file: file)
    }

    func describe(_ kind: FileStatus.Kind) -> String {
        switch kind {
        case .regular: "regular file"
        case .directory: "directory"
        case .symbolicLink: "symbolic link"
        case .fifo: "FIFO"
        case .socket: "socket"
        case .characterDevice: "character device"
        case .blockDevice: "block device"
        case .unknown: "unknown file type"
        }
    }

    /// Opens a directory inside the image; nil if absent.
    func openDirectory(_ inImagePath: String) throws(PortableError) -> FileDescriptor? {
        try open(inImagePath, flags: [.directory, .readOnly])
    }

    /// Opens a path inside the image, symlinks resolved inside it; nil if absent.
    func open(_ inImagePath: String, flags: OpenFlags) throws(PortableError) -> FileDescriptor? {
        do {
            return try descriptor.openat2(HostTree.relative(inImagePath), flags: flags, resolve: .confinedToRoot)
        } catch {
            switch error.errno {
            case ENOENT, ENOTDIR: return nil
            case ELOOP: throw bad(inImagePath, "too many levels of symbolic links (symlink loop)")
            default: throw bad(inImagePath, "cannot be opened: \(error.message)")
            }
        }
    }

    /// Parses a release file's bytes strictly; `unparsable: .keep` returns a file that does not parse
    /// with no fields instead of failing.
    func parseRelease(
        _ file: ImageFile,
        unparsable: ReleaseFile.WhenUnparsable = .refuse
    ) throws(PortableError) -> ReleaseFile {
        let contents = String(decoding: file.bytes, as: UTF8.self)
        do {
            let fields = try ReleaseFileParser.parse(file.bytes)
            return ReleaseFile(image: path, path: file.path, contents: contents, fields: fields, bytes: file.bytes)
        } catch {
            if unparsable == .keep {
                return ReleaseFile(image: path, path: file.path, contents: contents, fields: [], bytes: file.bytes)
            }
            // portabled's parser fails with EBADMSG.
            throw .badImage(
                image: path,
                portabled: PortableError.errnoText(EBADMSG),
                detail: "\(file.path) is not a valid release file: \(error.description).",
                file: file.path
            )
        }
    }

    /// `/etc/os-release`, else `/usr/lib/os-release`, resolved inside the image.
    package func osRelease(unparsable: ReleaseFile.WhenUnparsable = .refuse) throws(PortableError) -> ReleaseFile {
        for candidate in ["/etc/os-release", "/usr/lib/os-release"] {
            if let file = try readRegularFile(candidate, limit: Self.releaseFileLimit) {
                return try parseRelease(file, unparsable: unparsable)
            }
        }
        let reason = "Image lacks os-release data, refusing."
        // A raw image without os-release fails portabled's dissection with ENOMEDIUM.
        guard kind == .raw || kind == .block else {
            throw .badImage(image: path, reason: reason, file: "/usr/lib/os-release")
        }
        throw .badImage(
            image: path,
            portabled: PortableError.errnoText(ENOMEDIUM),
            detail: "Image '\(path)' lacks os-release data, refusing.",
            file: "/usr/lib/os-release"
        )
    }
}
