import DiskImage
import SystemCalls

#if canImport(Glibc)
import Glibc
#endif

/// Finds images by name in the search path or by absolute path, tells their kind and opens them.
struct ImageLocator: Sendable {
    var tree: HostTree
    var configuration: EngineConfiguration

    /// A located image before it is opened.
    struct Located: Sendable {
        /// Where the image really is (a search-path link resolved).
        var path: String
        var kind: ImageKind
        var status: FileStatus
        /// The path the image was found at: for a name, the search-path entry itself, also when it is a
        /// link (`/run/portables/foo`), as systemd's image lookup names the image.
        var entry: String

        init(path: String, kind: ImageKind, status: FileStatus, entry: String? = nil) {
            self.path = path
            self.kind = kind
            self.status = status
            self.entry = entry ?? path
        }
    }

    /// A name is looked up in the search path; anything else must be a normalized absolute path.
    func locate(_ image: String) throws(PortableError) -> Located {
        if PortableNames.isValidImageName(image) {
            // systemd's candidates, in its order: NAME, NAME.raw, then the versioned directories NAME.v
            // (trees NAME_<VERSION>) and NAME.raw.v (NAME_<VERSION>.raw).
            for directory in configuration.searchPaths {
                for candidate in [image, image + ".raw"] {
                    let path = PortableNames.join(directory, candidate)
                    if let located = try? classify(path), candidate == image || located.kind == .raw {
                        return Located(
                            path: canonicalPath(path),
                            kind: located.kind,
                            status: located.status,
                            entry: path
                        )
                    }
                }
                for suffix in ["", ".raw"] {
                    let versioned = PortableNames.join(directory, image + suffix + ".v")
                    guard let picked = try? pickVersion(versioned, baseName: image, suffix: suffix),
                        let located = try? classify(picked)
                    else { continue }
                    return Located(path: picked, kind: located.kind, status: located.status)
                }
            }
            throw .noSuchImage(image: image)
        }
        // vpick: "/path/app.v/" (or without the slash) stands for the newest version inside it.
        if image.hasSuffix(".v/") || image.hasSuffix(".v"),
            PortableNames.isNormalizedAbsolutePath(image.hasSuffix("/") ? String(image.dropLast()) : image)
        {
            let picked = try pickVersion(image.hasSuffix("/") ? String(image.dropLast()) : image)
            let located = try classify(picked)
            return Located(path: picked, kind: located.kind, status: located.status)
        }
        guard PortableNames.isNormalizedAbsolutePath(image) else {
            throw .invalidArgument(
                parameter: "image",
                reason: "Image name '\(image)' is not valid or not a normalized absolute path."
            )
        }
        let located = try classify(image)
        return Located(path: image, kind: located.kind, status: located.status)
    }

    /// The kind of the object at `path` (symlinks followed inside the tree).
    func classify(_ path: String) throws(PortableError) -> (kind: ImageKind, status: FileStatus) {
        let fd: FileDescriptor
        do { fd = try tree.open(path, flags: [.path]) } catch {
            if error.errno == ENOENT || error.errno == ENOTDIR { throw .noSuchImage(image: path) }
            throw .systemError(operation: "open image", path: tree.displayPath(path), error: error)
        }
        defer { fd.close() }
        let status: FileStatus
        do { status = try fd.status() } catch {
            throw .systemError(operation: "inspect image", path: tree.displayPath(path), error: error)
        }
        switch status.kind {
        case .directory:
            let isSubvolume = status.inode == 256 && ((try? fd.fileSystemStatus())?.isBtrfs ?? false)
            return (isSubvolume ? .subvolume : .directory, status)
        case .regular where path.hasSuffix(".raw"):
            return (.raw, status)
        case .blockDevice:
            return (.block, status)
        default:
            throw .badImageType(image: path)
        }
    }

    /// Entries of /etc/portables and /run/portables are links: report the image where it really is, so
    /// markers and `RootDirectory=` name the image, not the link.
    private func canonicalPath(_ path: String) -> String {
        var current = path
        for _ in 0..<8 {
            let parent = PortableNames.parent(current)
            guard let directory = try? tree.open(parent, flags: [.directory, .path]) else { return current }
            defer { directory.close() }
            guard let target = try? directory.readLink(PortableNames.lastComponent(current)) else { return current }
            let next = target.hasPrefix("/") ? target : PortableNames.join(parent, target)
            guard PortableNames.isNormalizedAbsolutePath(next) else { return current }
            current = next
        }
        return current
    }

    /// Opens a located image: trees directly, raw images through the configured opener.
    func open(
        _ located: Located,
        key: ImageKey? = nil,
        allowInteractiveAuthentication: Bool = false
    ) throws(PortableError) -> ImageRoot {
        switch located.kind {
        case .directory, .subvolume:
            do {
                let fd = try tree.open(located.path, flags: [.path, .directory])
                return ImageRoot(path: located.path, kind: located.kind, descriptor: fd)
            } catch {
                throw .systemError(operation: "open image", path: tree.displayPath(located.path), error: error)
            }
        case .raw, .block:
            let file: FileDescriptor
            do {
                file = try tree.open(located.path, flags: [.readOnly, .nonBlocking, .noControllingTerminal])
            } catch {
                throw .systemError(operation: "open image", path: tree.displayPath(located.path), error: error)
            }
            defer { file.close() }
            let opener = configuration.rawImageOpener
            let rule =
                configuration.scope == .user && !opener.decidesUserScopeTrust ? UserScopeRawImageRule(tree: tree) : nil
            // Refused before any loop device or mount is set up (an opener that asks mountfsd has it decide).
            try rule?.checkBeforeOpening(
                file: file,
                path: located.path,
                probe: { configuration.rawImageOpener.probeRawImage(file: file, path: located.path, machinePath: $0) }
            )
            let handle = try configuration.rawImageOpener.openRawImage(
                file: file,
                path: located.path,
                machinePath: tree.displayPath(located.path),
                kind: located.kind,
                key: key,
                allowInteractiveAuthentication: allowInteractiveAuthentication
            )
            if let rule {
                do throws(PortableError) {
                    try rule.check(file: file, path: located.path, disk: handle.disk)
                } catch {
                    handle.rootDirectory.close()
                    handle.release()
                    throw error
                }
            }
            return ImageRoot(
                path: located.path,
                kind: located.kind,
                descriptor: handle.rootDirectory,
                pinnedPolicy: handle.pinnedPolicy,
                disk: handle.disk,
                release: handle.release
            )
        }
    }

    /// Every image in the search path; the first occurrence of a name wins.
    func enumerate() -> [ImageSummary] {
        var seen = Set<NameOrder.Key>()
        var result: [ImageSummary] = []
        for directory in configuration.searchPaths {
            guard let fd = try? tree.openDirectoryIfPresent(directory) else { continue }
            defer { fd.close() }
            let searchDirectory = SearchDirectory(fd)
            let entries = ((try? fd.directoryEntries()) ?? []).sorted(byName: \.name)
            seen.reserveCapacity(seen.count + entries.count)
            for entry in entries {
                guard PortableNames.isValidImageName(entry.name) else { continue }
                var path = PortableNames.join(directory, entry.name)
                var name = PortableNames.displayName(entry.name)
                let kind: ImageKind
                let status: FileStatus
                var readOnly: Bool?  // nil: ask isReadOnly once the path is final
                var birthTime: UInt64??  // nil: ask creationTime once the path is final
                if entry.name.hasSuffix(".v") {
                    // Versioned, or skipped as systemd does (no matching entry, not a directory).
                    guard let versioned = versionedEntry(entry, path: path) else { continue }
                    (path, name) = versioned
                    guard let classified = try? classify(path) else { continue }
                    (kind, status) = classified
                } else if entry.kind == .directory,
                    let tree = summarizeTree(entry.name, in: searchDirectory, path: path)
                {
                    (kind, status, readOnly, birthTime) = tree
                } else {
                    guard let classified = try? classify(path) else { continue }
                    (kind, status) = classified
                }
                guard seen.insert(NameOrder.Key(name)).inserted else { continue }
                // Only links need resolving (d_type says so on every file system that matters).
                let target = entry.kind == .regular || entry.kind == .directory ? path : canonicalPath(path)
                let figures = usageAndLimit(path: target, kind: kind, status: status)
                result.append(
                    ImageSummary(
                        name: name,
                        path: target,
                        kind: kind,
                        readOnly: Self.isHidden(name)
                            || (readOnly ?? isReadOnly(path: target, kind: kind, status: status)),
                        creationTimestamp: birthTime ?? creationTime(path: target, kind: kind),
                        modificationTimestamp: modificationTime(path: target, kind: kind, status: status),
                        usage: figures.referenced,
                        limit: figures.referencedLimit,
                        usageExclusive: figures.exclusive,
                        limitExclusive: figures.exclusiveLimit,
                        disk: kind.isTree ? nil : probe(target)
                    )
                )
            }
        }
        return result
    }

    /// A raw image's headers as the opener reads them, for `list`; nil when they cannot be read.
    func probe(_ path: String) -> DiskDetails? {
        guard let file = try? tree.open(path, flags: [.path]) else { return nil }
        defer { file.close() }
        return configuration.rawImageOpener.probeRawImage(file: file, path: path, machinePath: tree.displayPath(path))
    }

    /// A search-path entry that d_type says is a directory: its kind, status and read-only state, where
    /// `classify` and `isReadOnly` open the path twice from the root (for 400 images that was half of
    /// `list`). On the search directory's own mount one statx says it all (status, mount, immutable
    /// bit, birth time: `creationTime`'s open and statx were a quarter of `list`); otherwise one open
    /// beneath the search directory (no symlink to follow). nil: use those two.
    private func summarizeTree(
        _ name: String,
        in directory: SearchDirectory,
        path: String
    ) -> (ImageKind, FileStatus, readOnly: Bool, birthTime: UInt64??)? {
        if let fileSystem = directory.fileSystem, let mountID = directory.mountID,
            let extended = try? directory.fd.extendedStatus(of: name), extended.status.kind == .directory,
            extended.mountID == mountID, let immutable = extended.isImmutable,
            !(extended.status.inode == 256 && fileSystem.isBtrfs)  // a subvolume needs its own ioctl
        {
            return (
                .directory, extended.status, Self.isVendorImage(path) || directory.isReadOnlyFileSystem || immutable,
                .some(extended.birthTimeMicroseconds)
            )
        }
        guard
            let fd = try? directory.fd.openat2(
                name,
                flags: [.directory, .readOnly, .noFollow],
                resolve: [.beneath, .noSymlinks]
            )
        else { return nil }
        defer { fd.close() }
        guard let status = try? fd.status(), status.kind == .directory else { return nil }
        let fileSystem = try? fd.fileSystemStatus()
        let kind: ImageKind = status.inode == 256 && fileSystem?.isBtrfs == true ? .subvolume : .directory
        let readOnly =
            Self.isVendorImage(path) || isReadOnly(kind: kind, status: status, open: fd, fileSystem: fileSystem)
        return (kind, status, readOnly, nil)
    }

    /// Vendor images below /usr, read-only file systems, read-only subvolumes, immutable directories and
    /// raw files without write permission are read-only.
    func isReadOnly(path: String, kind: ImageKind, status: FileStatus) -> Bool {
        if Self.isVendorImage(path) { return true }
        guard let fd = try? tree.open(path, flags: kind.isTree ? [.directory, .readOnly] : [.path]) else {
            return false
        }
        defer { fd.close() }
        return isReadOnly(kind: kind, status: status, open: fd, fileSystem: try? fd.fileSystemStatus())
    }

    /// portabled's EROFS rule, about the file system itself: statfs alone would also report berthd's own
    /// `ProtectSystem=strict` view (read-only bind mounts of a writable file system) and call every
    /// image read-only, so a read-only statfs is confirmed against the superblock in mountinfo.
    static func isOnReadOnlyFileSystem(_ fd: FileDescriptor, fileSystem: FileSystemStatus?) -> Bool {
        guard fileSystem?.isReadOnly == true else { return false }
        guard let mountID = (try? fd.extendedStatus(of: ""))?.mountID else { return true }
        return MountTable.superblockIsReadOnly(mountID: mountID) ?? true
    }

    /// Hidden images (a name starting with a dot) are always read-only, as systemd 262 rules: a copy of
    /// one is what is meant to be changed.
    static func isHidden(_ name: String) -> Bool {
        name.hasPrefix(".")
    }

    /// Images below /usr are the vendor's: read-only whatever their files say.
    private static func isVendorImage(_ path: String) -> Bool {
        path == "/usr" || path.hasPrefix("/usr/")
    }

    /// `isReadOnly` past the /usr rule, on the image opened (trees with O_RDONLY, for the inode flags).
    private func isReadOnly(
        kind: ImageKind,
        status: FileStatus,
        open fd: FileDescriptor,
        fileSystem: FileSystemStatus?
    ) -> Bool {
        if Self.isOnReadOnlyFileSystem(fd, fileSystem: fileSystem) { return true }
        switch kind {
        case .subvolume:
            if (try? fd.isReadOnlySubvolume()) == true { return true }
            return ((try? fd.inodeFlags()) ?? 0) & FileDescriptor.immutableInodeFlag != 0
        case .directory:
            return ((try? fd.inodeFlags()) ?? 0) & FileDescriptor.immutableInodeFlag != 0
        case .raw, .block:
            return status.permissions & 0o222 == 0
        }
    }
}

/// A search directory as `list` walks it, with its mount and file system asked once.
private struct SearchDirectory {
    /// Borrowed: `enumerate` owns and closes it.
    let fd: FileDescriptor
    let mountID: UInt64?
    let fileSystem: FileSystemStatus?
    /// Entries on the directory's own mount are on a read-only file system (see `isOnReadOnlyFileSystem`).
    let isReadOnlyFileSystem: Bool

    init(_ fd: FileDescriptor) {
        self.fd = fd
        mountID = (try? fd.extendedStatus(of: ""))?.mountID
        fileSystem = try? fd.fileSystemStatus()
        isReadOnlyFileSystem = ImageLocator.isOnReadOnlyFileSystem(fd, fileSystem: fileSystem)
    }
}
