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

    /// Berth's profile directories when the configuration names none: `$BERTH_PROFILE_DIR`, then the
    /// install prefix's `share/berth/profiles`, found from the executable (`<prefix>/bin/berthd`), so an
    /// installed tree can be moved. Nothing is compiled in: a binary carries no path of the build machine.
    static func defaultBerthDirectories() -> [String] {
        var result: [String] = []
        if let variable = getenv("BERTH_PROFILE_DIR") { result.append(String(cString: variable)) }
        if let executable = try? FileDescriptor.currentWorkingDirectory.readLink("/proc/self/exe") {
            let prefix = PortableNames.parent(PortableNames.parent(executable))
            result.append(PortableNames.join(prefix, "share/berth/profiles"))
        }
        return result
    }

    /// The profile file for a unit type (`service` → `service.conf`), or nil when the profile exists but
    /// has nothing for this type (sockets, timers, … get no profile).
    /// An unknown profile is an error (upstream silently attaches unconfined, quirk Q3).
    func resolve(profile: String, unitType: String) throws(PortableError) -> ProfileSource? {
        if Self.isPath(profile) { return try resolveProfilePath(profile, unitType: unitType) }
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
        // Berth's directory holds the user-scope variants in a subdirectory, not a profile of that name.
        for directory in berthDirectories where profile != ScopeLayout.userProfileSubdirectory {
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
        // portabled 262's words (257 attached without any profile).
        throw .invalidProfile(
            profile: profile,
            reason: "does not exist, refusing. (Available profiles are: \(names().joined(separator: ", ")))"
        )
    }

    /// Every profile name found, sorted bytewise as systemd's conf-files sorts them (`NameOrder`).
    func names() -> [String] {
        var names = Set<NameOrder.Key>()
        for directory in treeDirectories {
            guard let fd = try? tree.openDirectoryIfPresent(directory) else { continue }
            defer { fd.close() }
            for entry in (try? fd.directoryEntries()) ?? [] where PortableNames.isValidProfileName(entry.name) {
                if entry.kind == .directory || entry.kind == .symbolicLink { names.insert(NameOrder.Key(entry.name)) }
            }
        }
        for directory in berthDirectories {
            guard let fd = try? FileDescriptor.currentWorkingDirectory.openat(directory, flags: [.directory]) else {
                continue
            }
            defer { fd.close() }
            for entry in (try? fd.directoryEntries()) ?? []
            where entry.kind == .directory && PortableNames.isValidProfileName(entry.name)
                && entry.name != ScopeLayout.userProfileSubdirectory
            {
                names.insert(NameOrder.Key(entry.name))
            }
        }
        return names.sorted().map(\.name)
    }
}
