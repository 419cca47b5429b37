import SystemCalls

/// A unit found in an attached directory with our marker.
struct Attachment: Sendable, Hashable {
    /// The unit name.
    var unit: String
    /// The image paths in the marker: root first, then extensions.
    var images: [String]
    /// Whether the unit file itself (not only its drop-ins) is present.
    var hasUnitFile: Bool
    /// Whether `10-profile.conf` is present.
    var hasProfile: Bool
    /// Other files in `<unit>.d` (admin drop-ins), which detach leaves in place.
    var foreignDropIns: [String]

    /// Detach/reattach matching: every marker component matches the request 1:1 by image base name.
    func matchesExactly(root: String, extensions: [String]) -> Bool {
        let requested = [root] + extensions
        guard images.count == requested.count else { return false }
        return zip(images, requested).allSatisfy { PortableNames.imageBaseName($0) == PortableNames.imageBaseName($1) }
    }

    /// State matching: any positional component matches.
    func matchesPartially(root: String, extensions: [String]) -> Bool {
        let requested = [root] + extensions
        return zip(images, requested).contains { PortableNames.imageBaseName($0) == PortableNames.imageBaseName($1) }
    }
}

/// Reads the attachments in one attached directory (`system.attached` or its runtime twin).
struct AttachmentScanner {
    var tree: HostTree

    func attachments(in directory: String) -> [Attachment] {
        guard let fd = try? tree.openDirectoryIfPresent(directory) else { return [] }
        defer { fd.close() }
        let entries = (try? fd.directoryEntries()) ?? []
        var units = Set<String>()
        var unitFiles = Set<String>()
        for entry in entries {
            if entry.name.hasSuffix(".d") {
                let unit = String(entry.name.dropLast(2))
                if PortableNames.isValidUnitName(unit) { units.insert(unit) }
            } else if PortableNames.isValidUnitName(entry.name) {
                units.insert(entry.name)
                unitFiles.insert(entry.name)
            }
        }
        var result: [Attachment] = []
        for unit in units.sortedByName() {
            let dropInDirectory = PortableNames.join(directory, unit + ".d")
            guard let line = tree.firstLine(PortableNames.join(dropInDirectory, PortableDropIn.fileName)),
                let images = PortableDropIn.parseMarker(line)
            else { continue }
            var hasProfile = false
            var foreign: [String] = []
            if let dropIns = try? tree.openDirectoryIfPresent(dropInDirectory) {
                defer { dropIns.close() }
                for entry in (try? dropIns.directoryEntries()) ?? [] {
                    switch entry.name {
                    case PortableDropIn.fileName: continue
                    case PortableDropIn.profileFileName: hasProfile = true
                    default: if !entry.name.hasPrefix(".#berth.") { foreign.append(entry.name) }
                    }
                }
            }
            result.append(
                Attachment(
                    unit: unit,
                    images: images,
                    hasUnitFile: unitFiles.contains(unit),
                    hasProfile: hasProfile,
                    foreignDropIns: foreign.sortedByName()
                )
            )
        }
        return result
    }
}
