import SystemCalls

#if canImport(Glibc)
import Glibc
#endif

/// `--profile=/PATH`, what systemd issue #10235 asked portablectl for ("pass a filepath to
/// `portablectl --profile` instead of just a name").
///
/// A directory is a profile like the named ones (`service.conf`, `socket.conf`, … for each unit type);
/// a single file is the `service.conf` of a one-file profile (the other unit types get none, as with a
/// named profile that has no file for them). The path is a host path, inside the tree with `--root`
/// (like image paths), so `10-profile.conf` links or copies it exactly as for a named profile, and
/// detach, inspect and list see the usual drop-in.
extension ProfileCatalog {
    /// Whether `profile` is a path rather than a name.
    static func isPath(_ profile: String) -> Bool { profile.hasPrefix("/") }

    /// The profile file at `path` for `unitType`, validated as a named profile is: it must exist, must
    /// not be masked, must be readable, and a directory must hold at least one `*.conf` file.
    func resolveProfilePath(_ path: String, unitType: String) throws(PortableError) -> ProfileSource? {
        func refuse(_ reason: String) -> PortableError { .invalidProfile(profile: path, reason: reason) }
        guard !path.utf8.contains(0), path.split(separator: "/").allSatisfy({ $0 != ".." }) else {
            throw refuse("a profile path must be absolute and must not contain '..'")
        }
        let directory: FileDescriptor?
        do {
            directory = try tree.open(path, flags: [.directory, .readOnly])
        } catch  where error.errno == ENOTDIR {
            directory = nil
        } catch  where error.errno == ENOENT {
            throw refuse("does not exist, refusing.")
        } catch {
            throw refuse("cannot be opened: \(error.message)")
        }
        guard let directory else { return try singleFile(path, unitType: unitType, refuse: refuse) }
        defer { directory.close() }
        let entries: [DirectoryEntry]
        do { entries = try directory.directoryEntries() } catch { throw refuse("cannot be read: \(error.message)") }
        guard entries.contains(where: { $0.name.hasSuffix(".conf") && $0.name.count > 5 }) else {
            throw refuse("the directory holds no *.conf file (service.conf, socket.conf, …)")
        }
        let file = PortableNames.join(path, "\(unitType).conf")
        do {
            guard let bytes = try tree.readFile(file, limit: Self.fileLimit) else { return nil }
            return ProfileSource(path: file, insideTree: true, contents: bytes)
        } catch {
            throw refuse("\(engineDisplay(file)) cannot be read: \(error.message)")
        }
    }

    /// A one-file profile: the drop-in of service units.
    private func singleFile(
        _ path: String,
        unitType: String,
        refuse: (String) -> PortableError
    ) throws(PortableError) -> ProfileSource? {
        let bytes: [UInt8]?
        do {
            bytes = try tree.readFile(path, limit: Self.fileLimit)
        } catch {
            // /dev/null (a masked profile) and other non-regular files end up here.
            throw refuse("is not a readable regular file or directory: \(error.message)")
        }
        guard let bytes else { throw refuse("does not exist, refusing.") }
        guard String(validating: bytes, as: UTF8.self) != nil else { throw refuse("is not UTF-8 text") }
        return unitType == "service" ? ProfileSource(path: path, insideTree: true, contents: bytes) : nil
    }

    private func engineDisplay(_ path: String) -> String { tree.displayPath(path) }
}
