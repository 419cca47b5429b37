import SystemCalls

#if canImport(Glibc)
import Glibc
#endif

/// A profile drop-in chosen for one unit.
struct ProfileSource: Sendable {
    /// The path of the profile file. Inside the host tree when `insideTree`, else a machine path.
    var path: String
    var insideTree: Bool
    var contents: [UInt8]
}

/// Finds profiles: systemd's directories inside the host tree first (so admins' and the distribution's
/// profiles apply unchanged), then Berth's own shipped directory.
struct ProfileCatalog: Sendable {
    var tree: HostTree
    var treeDirectories: [String]
    var berthDirectories: [String]

    static let fileLimit = 256 * 1024

    /// `$BERTH_PROFILE_DIR`, `<exe>/../share/berth/profiles`, and for in-tree use the package's `profiles/`.
    static func defaultBerthDirectories() -> [String] {
        var result: [String] = []
        if let variable = getenv("BERTH_PROFILE_DIR") { result.append(String(cString: variable)) }
        var candidates: [String] = []
        if let executable = try? FileDescriptor.currentWorkingDirectory.readLink("/proc/self/exe") {
            let binDirectory = PortableNames.parent(executable)
            candidates.append(PortableNames.join(PortableNames.parent(binDirectory), "share/berth/profiles"))
            // In-tree runs: .build/<triple>/debug/berthctl → the package root is a few levels up.
            var directory = binDirectory
            for _ in 0..<4 {
                directory = PortableNames.parent(directory)
                candidates.append(PortableNames.join(directory, "profiles"))
            }
        }
        // This file lives in <package>/Sources/PortableEngine/.
        let package = PortableNames.parent(PortableNames.parent(PortableNames.parent(#filePath)))
        candidates.append(PortableNames.join(package, "profiles"))
        // Only a directory that really holds Berth's profiles counts, so a stray "profiles" dir is ignored.
        if let shipped = candidates.first(where: { candidate in
            let marker = PortableNames.join(candidate, "default/service.conf")
            return (try? FileDescriptor.currentWorkingDirectory.status(of: marker, followSymlinks: true))?.kind
                == .regular
        }) {
            result.append(shipped)
        }
        return result
    }

    /// The profile file for a unit type (`service` → `service.conf`), or nil when the profile exists but
    /// has nothing for this type (sockets, timers, … get no profile).
    /// An unknown profile is an error (upstream silently attaches unconfined, quirk Q3).
    func resolve(profile: String, unitType: String) throws(PortableError) -> ProfileSource? {
        guard PortableNames.isValidProfileName(profile) else {
            throw .invalidProfile(profile: profile, reason: "not a valid profile name")
        }
        for directory in treeDirectories {
            let profileDirectory = PortableNames.join(directory, profile)
            guard let status = try? tree.status(profileDirectory) else { continue }
            // A symlink to /dev/null masks the profile, as systemd's conf-files logic does.
            if status.kind == .characterDevice { throw .invalidProfile(profile: profile, reason: "profile is masked") }
            let file = PortableNames.join(profileDirectory, "\(unitType).conf")
            do {
                if let bytes = try tree.readFile(file, limit: Self.fileLimit) {
                    return ProfileSource(path: file, insideTree: true, contents: bytes)
                }
            } catch {
                throw .invalidProfile(profile: profile, reason: "\(file) cannot be read: \(error.message)")
            }
            return nil
        }
        for directory in berthDirectories {
            let profileDirectory = PortableNames.join(directory, profile)
            guard
                let status = try? FileDescriptor.currentWorkingDirectory.status(
                    of: profileDirectory,
                    followSymlinks: true
                ),
                status.kind == .directory
            else { continue }
            let file = PortableNames.join(profileDirectory, "\(unitType).conf")
            guard let fd = try? FileDescriptor.currentWorkingDirectory.openat(file, flags: [.readOnly, .nonBlocking])
            else { return nil }
            defer { fd.close() }
            guard (try? fd.status().kind) == .regular, let bytes = try? fd.readAll(limit: Self.fileLimit) else {
                throw .invalidProfile(profile: profile, reason: "\(file) is not a readable regular file")
            }
            return ProfileSource(path: file, insideTree: false, contents: bytes)
        }
        throw .invalidProfile(profile: profile, reason: "no such profile")
    }

    /// Every profile name found, sorted.
    func names() -> [String] {
        var names = Set<String>()
        for directory in treeDirectories {
            guard let fd = try? tree.openDirectoryIfPresent(directory) else { continue }
            defer { fd.close() }
            for entry in (try? fd.directoryEntries()) ?? [] where PortableNames.isValidProfileName(entry.name) {
                if entry.kind == .directory || entry.kind == .symbolicLink { names.insert(entry.name) }
            }
        }
        for directory in berthDirectories {
            guard let fd = try? FileDescriptor.currentWorkingDirectory.openat(directory, flags: [.directory]) else {
                continue
            }
            defer { fd.close() }
            for entry in (try? fd.directoryEntries()) ?? []
            where entry.kind == .directory && PortableNames.isValidProfileName(entry.name) {
                names.insert(entry.name)
            }
        }
        return names.sorted()
    }
}
