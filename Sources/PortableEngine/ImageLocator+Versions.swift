import DiskImage
import SystemCalls

/// vpick's versioned directories (`NAME.v/`, `NAME.raw.v/`): by path, in the search path and in `list`.
extension ImageLocator {
    /// The newest `<base>_<version>.raw` (or `<base>_<version>` tree) in a `.v` directory, by systemd's
    /// version comparison; listed inside the host tree.
    func pickVersion(_ directory: String) throws(PortableError) -> String {
        var base = PortableNames.lastComponent(directory)
        base.removeLast(2)
        if base.hasSuffix(".raw") { base.removeLast(4) }
        return try pickVersion(directory, baseName: base, suffix: nil)
    }

    /// The newest `<baseName>_<version><suffix>` in a `.v` directory; a nil suffix tries `.raw` files,
    /// then trees. A search-path `NAME.raw.v` holds only `.raw` files (or devices), `NAME.v` only trees,
    /// as systemd's type filter says.
    func pickVersion(_ directory: String, baseName base: String, suffix: String?) throws(PortableError) -> String {
        let entries: [DirectoryEntry]
        do {
            guard let fd = try tree.openDirectoryIfPresent(directory) else {
                throw PortableError.noSuchImage(image: directory)
            }
            defer { fd.close() }
            entries = try fd.directoryEntries()
        } catch let error as SystemCallError {
            throw .systemError(operation: "list", path: tree.displayPath(directory), error: error)
        } catch {
            throw .noSuchImage(image: directory)
        }
        let valid = entries.filter { PortableNames.isValidImageName($0.name) }
        let names = valid.map(\.name)
        let picked: String?
        switch suffix {
        case nil:
            picked =
                VersionPick.newest(among: names, baseName: base, suffix: ".raw")
                ?? VersionPick.newest(among: names.filter { !$0.hasSuffix(".raw") }, baseName: base, suffix: "")
        case ".raw":
            let files = valid.filter { [.regular, .blockDevice, .symbolicLink, .unknown].contains($0.kind) }
            picked = VersionPick.newest(among: files.map(\.name), baseName: base, suffix: ".raw")
        default:
            let trees = valid.filter { [.directory, .symbolicLink, .unknown].contains($0.kind) }
            picked = VersionPick.newest(among: trees.map(\.name), baseName: base, suffix: "")
        }
        guard let picked else {
            throw .badImage(
                image: directory,
                reason: "No matching entry in .v/ directory \(directory) found.",
                file: nil
            )
        }
        return PortableNames.join(directory, picked)
    }

    /// A search-path directory `NAME.v` or `NAME.raw.v` (a link to one counts too, as systemd follows it):
    /// the newest version's path and the image name `NAME`, as systemd lists it. nil: not a directory,
    /// or none of its entries matches (systemd skips it then).
    func versionedEntry(_ entry: DirectoryEntry, path: String) -> (path: String, name: String)? {
        guard entry.name.hasSuffix(".v"), entry.kind != .regular else { return nil }
        var name = String(entry.name.dropLast(2))
        let suffix = name.hasSuffix(".raw") ? ".raw" : ""
        name.removeLast(suffix.count)
        guard PortableNames.isValidImageName(name),
            let picked = try? pickVersion(path, baseName: name, suffix: suffix)
        else { return nil }
        return (picked, name)
    }
}
