import SystemCalls

#if canImport(Glibc)
import Glibc
#endif

/// remove and read-only.
extension PortableEngine {
    /// Deletes a detached image and its sidecar files. A search-path entry that is a symlink is removed
    /// itself, not its target (what the documentation promises; quirk Q9 fixed). Vendor images below
    /// /usr are refused.
    package func remove(image: String) async throws(PortableError) {
        let lock = try await lock(try lockKey(for: image))
        defer { withExtendedLifetime(lock) {} }
        let (entry, located) = try searchEntry(image)
        if located.path == "/usr" || located.path.hasPrefix("/usr/") || entry.hasPrefix("/usr/") {
            throw .imageReadOnly(image: image)
        }
        let state = try await state(ofPath: located.path, extensions: [])
        guard state == .detached else { throw .imageNotDetached(image: located.path, state: state) }
        let isLink = ((try? tree.status(entry)) ?? nil)?.kind == .symbolicLink
        do {
            if isLink {
                try tree.removeFile(entry)
            } else {
                try tree.removeTree(located.path)
                if located.kind == .raw {
                    let base = String(located.path.dropLast(4))
                    for suffix in [".roothash", ".roothash.p7s", ".usrhash", ".usrhash.p7s", ".verity", ".nspawn"] {
                        _ = try? tree.removeFile(base + suffix)
                    }
                }
            }
            tree.syncDirectory(PortableNames.parent(entry))
        } catch {
            throw .systemError(operation: "remove", path: display(isLink ? entry : located.path), error: error)
        }
    }

    /// Marks an image read-only or writable: immutable flag (directories), read-only subvolume flag
    /// (btrfs), write permission bits (raw files).
    package func setReadOnly(image: String, readOnly: Bool = true) async throws(PortableError) {
        let lock = try await lock(try lockKey(for: image))
        defer { withExtendedLifetime(lock) {} }
        let located = try locator.locate(image)
        if located.path == "/usr" || located.path.hasPrefix("/usr/") { throw .imageReadOnly(image: image) }
        do throws(SystemCallError) {
            switch located.kind {
            case .directory:
                // As portabled's chattr: the path the image was found at, its last component not followed,
                // so a /run|/etc/portables link is refused (ELOOP) rather than changing its target.
                let fd = try tree.open(located.entry, flags: [.readOnly, .noFollow])
                defer { fd.close() }
                let flags = try fd.inodeFlags()
                let immutable = FileDescriptor.immutableInodeFlag
                try fd.setInodeFlags(readOnly ? flags | immutable : flags & ~immutable)
            case .subvolume:
                let fd = try tree.open(located.path, flags: [.directory, .readOnly])
                defer { fd.close() }
                try fd.setReadOnlySubvolume(readOnly)
            case .raw:
                let permissions = located.status.permissions
                let mode = readOnly ? permissions & ~0o222 : permissions | 0o200
                try tree.withParent(of: located.path) { (fd, name) throws(SystemCallError) in
                    try fd.changeMode(of: name, to: mode)
                }
            case .block:
                throw SystemCallError(call: "ioctl", errno: EOPNOTSUPP, detail: "BLKROSET")
            }
        } catch {
            if error.errno == EOPNOTSUPP || error.errno == ENOTTY {
                throw .notSupported(reason: "Marking '\(image)' read-only is not supported on this file system.")
            }
            throw .systemError(operation: "mark read-only", path: display(located.entry), error: error)
        }
    }

    /// The search-path entry (what a name refers to) and where it leads.
    private func searchEntry(_ image: String) throws(PortableError) -> (String, ImageLocator.Located) {
        let located = try locator.locate(image)
        guard PortableNames.isValidImageName(image) else { return (located.path, located) }
        for directory in configuration.searchPaths {
            for candidate in [image, image + ".raw"] {
                let path = PortableNames.join(directory, candidate)
                if ((try? tree.status(path)) ?? nil) != nil { return (path, located) }
            }
        }
        return (located.path, located)
    }
}
