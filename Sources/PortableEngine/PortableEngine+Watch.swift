import SystemCalls

/// An image as a watcher sees it: what `list` reports plus the attached units and what identifies the
/// attachment, so two observations can be compared.
package struct WatchedImage: Sendable, Hashable {
    package var name: String
    package var state: ImageState
    package var readOnly: Bool
    /// Whether the image is in the search path (an image attached by path, or deleted while attached,
    /// is known only through its markers).
    package var inSearchPath: Bool
    /// The attached units, sorted by name bytewise (`NameOrder`).
    package var units: [WatchedUnit]
    /// What the markers name and the marker files' identities: changes when the attachment is replaced
    /// (reattach) even when the state stays the same.
    package var attachmentIdentity: [String]

    package init(
        name: String,
        state: ImageState,
        readOnly: Bool,
        inSearchPath: Bool,
        units: [WatchedUnit],
        attachmentIdentity: [String]
    ) {
        self.name = name
        self.state = state
        self.readOnly = readOnly
        self.inSearchPath = inSearchPath
        self.units = units
        self.attachmentIdentity = attachmentIdentity
    }
}

/// One attached unit as PID 1 reports it.
package struct WatchedUnit: Sendable, Hashable {
    package var name: String
    package var isActive: Bool
    /// nil when no service manager answers.
    package var unitFileState: String?
}

extension PortableEngine {
    /// Every image of the search path, and every image a marker names, with state and units: one scan
    /// of the attached directories, one question to PID 1 per attached unit.
    package func watchedImages() async -> [WatchedImage] {
        let attachments = currentAttachments()
        var result: [NameOrder.Key: WatchedImage] = [:]
        var searchPathBaseNames = Set<String>()
        for image in locator.enumerate() {
            searchPathBaseNames.insert(PortableNames.imageBaseName(image.path))
            result[NameOrder.Key(image.name)] = await watched(
                name: image.name,
                path: image.path,
                readOnly: image.readOnly,
                inSearchPath: true,
                attachments: attachments
            )
        }
        // Attached images that are not (or no longer) in the search path, named as `list` would name them.
        for (_, all) in attachments {
            for attachment in all {
                guard let root = attachment.images.first,
                    !searchPathBaseNames.contains(PortableNames.imageBaseName(root))
                else { continue }
                let name = PortableNames.displayName(root)
                guard result[NameOrder.Key(name)] == nil else { continue }
                result[NameOrder.Key(name)] = await watched(
                    name: name,
                    path: root,
                    readOnly: false,
                    inSearchPath: false,
                    attachments: attachments
                )
            }
        }
        return result.values.sorted(byName: \.name)
    }

    private func watched(
        name: String,
        path: String,
        readOnly: Bool,
        inSearchPath: Bool,
        attachments: [(runtime: Bool, attachments: [Attachment])]
    ) async -> WatchedImage {
        let state = await state(ofPath: path, extensions: [], attachments: attachments)
        var units: [WatchedUnit] = []
        var identity: [String] = []
        for (runtime, all) in attachments {
            // The state comes from the first directory with a match (persistent before runtime); so do the units.
            let matched = all.filter { $0.matchesPartially(root: path, extensions: []) }
            guard !matched.isEmpty else { continue }
            let directory = configuration.attachedDirectory(runtime: runtime)
            for attachment in matched {
                let isActive = (try? await serviceManager.isActive(attachment.unit)) ?? false
                let fileState = try? await serviceManager.unitFileState(attachment.unit)
                units.append(WatchedUnit(name: attachment.unit, isActive: isActive, unitFileState: fileState ?? nil))
                let marker = PortableNames.join(
                    PortableNames.join(directory, attachment.unit + ".d"),
                    PortableDropIn.fileName
                )
                let inode = (try? tree.status(marker))??.inode ?? 0
                identity.append("\(attachment.unit) \(inode) \(attachment.images.joined(separator: ":"))")
            }
            break
        }
        return WatchedImage(
            name: name,
            state: state,
            readOnly: readOnly,
            inSearchPath: inSearchPath,
            units: units.sorted(byName: \.name),
            attachmentIdentity: identity.sortedByName()
        )
    }

    /// The directories (inside the tree) whose changes can change what `watchedImages` reports: the
    /// attached directories, the unit directories `enable` links into, and the search path.
    package var watchedDirectories: (attached: [String], other: [String]) {
        (
            [configuration.persistentAttachedDirectory, configuration.runtimeAttachedDirectory],
            ["/etc/systemd/system", "/run/systemd/system"] + configuration.searchPaths
        )
    }
}
