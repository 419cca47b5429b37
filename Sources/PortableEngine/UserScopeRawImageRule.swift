import SystemCalls

/// What portabled 260 requires of raw images in user scope. It has systemd-mountfsd mount them, which
/// (without a polkit grant) mounts an unprivileged caller's image only if it lies directly in one of the
/// system's image directories, or else if its dm-verity root hash carries a signature the host trusts.
/// A user's berthd leaves the decision to mountfsd itself (`MountfsdImageOpener`); where the engine opens
/// raw images on its own in user scope (`berthctl --user --root`, as root, with loop devices) it applies
/// the same rule, so the user scope never reads an untrusted file system.
struct UserScopeRawImageRule {
    var tree: HostTree

    /// Before opening: trusted by location, or its headers carry a valid signature (checked again on open).
    func checkBeforeOpening(
        file: FileDescriptor,
        path: String,
        probe: (_ machinePath: String) -> DiskDetails?
    ) throws(PortableError) {
        if let location = realLocation(of: file), isInTrustedDirectory(location) { return }
        if probe(tree.displayPath(path))?.verity == .signed { return }
        throw refusal(path)
    }

    /// After opening: trusted by location, or the signature was verified while opening.
    func check(file: FileDescriptor, path: String, disk: DiskDetails?) throws(PortableError) {
        if disk?.verity == .signed { return }
        if let location = realLocation(of: file), isInTrustedDirectory(location) { return }
        throw refusal(path)
    }

    private func refusal(_ path: String) -> PortableError {
        .badImage(
            image: path,
            reason: "In user scope a raw image must carry a dm-verity root hash signature the host trusts, or "
                + "lie directly in one of the system's image directories (such as /var/lib/portables), as "
                + "systemd-mountfsd requires; refusing.",
            file: nil
        )
    }

    /// Where the image really is (symlinks resolved, as mountfsd asks the kernel), as a tree path; nil
    /// outside the tree or for anything but a regular file.
    func realLocation(of file: FileDescriptor) -> String? {
        guard (try? file.status().kind) == .regular,
            let machinePath = try? FileDescriptor.currentWorkingDirectory.readLink("/proc/self/fd/\(file.rawValue)")
        else { return nil }
        guard tree.isOffline else { return machinePath }
        guard machinePath.hasPrefix(tree.rootPath + "/") else { return nil }
        return String(machinePath.dropFirst(tree.rootPath.count))
    }

    /// A file directly inside a trusted directory (not in a subdirectory of it).
    func isInTrustedDirectory(_ path: String) -> Bool {
        ScopeLayout.trustedRawImageDirectories.contains(PortableNames.parent(path))
    }
}
