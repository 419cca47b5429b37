import SystemCalls

#if canImport(Glibc)
import Glibc
#endif

/// The portable-services engine: images, matching, validation, plan/apply, state, profiles.
///
/// One instance serves a host tree (`/` or a `--root` directory). Operations on different images may
/// run in parallel; operations on one image (by base name, so two versions count as one) are
/// serialized by a lock file that also works across processes.
package final class PortableEngine: Sendable {
    package let configuration: EngineConfiguration
    package let tree: HostTree
    let serviceManager: any ServiceManager

    package init(
        configuration: EngineConfiguration = EngineConfiguration(),
        serviceManager: any ServiceManager = OfflineServiceManager()
    ) throws(PortableError) {
        self.configuration = configuration
        self.tree = try HostTree(rootPath: configuration.root)
        self.serviceManager = serviceManager
    }

    var locator: ImageLocator { ImageLocator(tree: tree, configuration: configuration) }
    var scanner: AttachmentScanner { AttachmentScanner(tree: tree) }
    var profileCatalog: ProfileCatalog {
        ProfileCatalog(
            tree: tree,
            treeDirectories: configuration.profileDirectories,
            berthDirectories: configuration.berthProfileDirectories
        )
    }

    // MARK: - Reading

    /// Profile names available to attach, sorted bytewise (`NameOrder`).
    package func profiles() -> [String] {
        profileCatalog.names()
    }

    /// Images in the search path with their states, sorted by name bytewise (`NameOrder`), as portablectl
    /// sorts its table.
    package func listImages() async -> [ImageSummary] {
        var images = locator.enumerate()
        // One scan of the attached directories serves every image (a list of hundreds stays one pass).
        let attachments = currentAttachments()
        for index in images.indices {
            images[index].state = await state(ofPath: images[index].path, extensions: [], attachments: attachments)
        }
        return images.sorted(byName: \.name)
    }

    /// One image as `listImages` would report it.
    package func image(_ image: String) async throws(PortableError) -> ImageSummary {
        let located = try locator.locate(image)
        // Found by name, the image is called what was asked for (a versioned directory's newest entry
        // `vset.raw.v/vset_3.raw` is the image `vset`), as systemd names it.
        let name = PortableNames.isValidImageName(image) ? image : PortableNames.displayName(located.path)
        let figures = locator.usageAndLimit(path: located.path, kind: located.kind, status: located.status)
        return ImageSummary(
            name: name,
            // A name found through a /run|/etc/portables link is the link, as systemd reports it.
            path: located.entry,
            kind: located.kind,
            readOnly: ImageLocator.isHidden(name)
                || locator.isReadOnly(path: located.path, kind: located.kind, status: located.status),
            creationTimestamp: locator.creationTime(path: located.path, kind: located.kind),
            modificationTimestamp: locator.modificationTime(
                path: located.path,
                kind: located.kind,
                status: located.status
            ),
            usage: figures.referenced,
            limit: figures.referencedLimit,
            usageExclusive: figures.exclusive,
            limitExclusive: figures.exclusiveLimit,
            state: try await state(ofPath: located.path, extensions: []),
            disk: located.kind.isTree ? nil : locator.probe(located.path)
        )
    }

    /// How far an image is attached. The image need not exist if a marker still names it; if neither
    /// the image nor any marker exists, it is `noSuchImage`.
    package func state(image: String, extensions: [String] = []) async throws(PortableError) -> ImageState {
        let (image, extensions) = try expanded(image: image, extensions: extensions)
        let path: String
        var exists = true
        do {
            path = try locator.locate(image).path
        } catch {
            guard case .noSuchImage = error else { throw error }
            exists = false
            path = image
        }
        let state = try await state(ofPath: path, extensions: extensions)
        if !exists && state == .detached { throw .noSuchImage(image: image) }
        return state
    }

    func state(ofPath path: String, extensions: [String]) async throws(PortableError) -> ImageState {
        await state(ofPath: path, extensions: extensions, attachments: currentAttachments())
    }

    /// Persistent, then runtime attachments.
    func currentAttachments() -> [(runtime: Bool, attachments: [Attachment])] {
        [false, true].map { runtime in
            (runtime, scanner.attachments(in: configuration.attachedDirectory(runtime: runtime)))
        }
    }

    func state(
        ofPath path: String,
        extensions: [String],
        attachments: [(runtime: Bool, attachments: [Attachment])]
    ) async -> ImageState {
        for (runtime, all) in attachments {
            let matched = all.filter { $0.matchesPartially(root: path, extensions: extensions) }
            guard !matched.isEmpty else { continue }
            var running = false
            var enabled = false
            for attachment in matched {
                if (try? await serviceManager.isActive(attachment.unit)) == true { running = true }
                guard attachment.hasUnitFile else { continue }
                if let fileState = try? await serviceManager.unitFileState(attachment.unit),
                    !["static", "disabled", "linked", "linked-runtime"].contains(fileState)
                {
                    enabled = true
                }
            }
            if running { return runtime ? .runningRuntime : .running }
            if enabled { return runtime ? .enabledRuntime : .enabled }
            return runtime ? .attachedRuntime : .attached
        }
        return .detached
    }

    // MARK: - Recovery

    /// Finishes or undoes transactions interrupted by a crash (intent records whose image lock is free).
    /// Returns one line per transaction handled; call it at daemon start and before offline operations.
    @discardableResult
    package func recover() -> [String] {
        var report: [String] = []
        for directory in [configuration.persistentAttachedDirectory, configuration.runtimeAttachedDirectory] {
            guard let fd = try? tree.openDirectoryIfPresent(directory) else { continue }
            let entries = (try? fd.directoryEntries()) ?? []
            fd.close()
            for entry in entries.sorted(byName: \.name) {
                let isTemp = entry.name.hasPrefix(Transaction.intentTempPrefix)
                guard isTemp || entry.name.hasPrefix(Transaction.intentPrefix) else { continue }
                let rest = entry.name.dropFirst(
                    isTemp ? Transaction.intentTempPrefix.count : Transaction.intentPrefix.count
                )
                guard let dot = rest.firstIndex(of: ".") else { continue }
                let transactionID = String(rest[..<dot])
                let key = PortableDropIn.unescape(rest[rest.index(after: dot)...])
                let lock: ImageLock
                do {
                    // Held: the transaction is still running in another process; it is not ours to touch.
                    guard let held = try ImageLock.attempt(tree: tree, directory: configuration.lockDirectory, key: key)
                    else { continue }
                    lock = held
                } catch {
                    report.append("Cannot recover '\(key)' yet: \(error)")
                    continue
                }
                defer { withExtendedLifetime(lock) {} }
                let path = PortableNames.join(directory, entry.name)
                if isTemp {
                    _ = try? tree.removeFile(path)
                    report.append("Removed leftover \(tree.displayPath(path)).")
                    continue
                }
                guard let bytes = try? tree.readFile(path, limit: 4 * 1024 * 1024),
                    let intent = IntentRecord.parse(bytes, transactionID: transactionID, lockKey: key)
                else {
                    report.append("Ignored unreadable intent record \(tree.displayPath(path)).")
                    continue
                }
                if intent.committed {
                    intent.rollForward(tree: tree)
                    intent.remove(tree: tree, directory: directory)
                    report.append("Completed interrupted operation on '\(key)'.")
                } else {
                    intent.rollBack(tree: tree, directory: directory)
                    report.append("Rolled back interrupted operation on '\(key)'.")
                }
            }
        }
        report += removeOrphanedTemps()
        return report
    }

    /// Temps (`.#berth.<txid>.<n>`) whose transaction has no intent record: their prepared record was
    /// lost with a power failure before it reached the disk, so the transaction never committed.
    /// A live transaction always has its record in place before it creates a temp, so this cannot race.
    private func removeOrphanedTemps() -> [String] {
        var report: [String] = []
        for runtime in [false, true] {
            let attached = configuration.attachedDirectory(runtime: runtime)
            guard let fd = try? tree.openDirectoryIfPresent(attached) else { continue }
            let entries = (try? fd.directoryEntries()) ?? []
            fd.close()
            let live = Set(
                entries.compactMap { entry -> String? in
                    for prefix in [Transaction.intentPrefix, Transaction.intentTempPrefix]
                    where entry.name.hasPrefix(prefix) {
                        return entry.name.dropFirst(prefix.count).split(separator: ".").first.map(String.init)
                    }
                    return nil
                }
            )
            var directories = [attached, configuration.portablesDirectory(runtime: runtime)]
            directories += entries.filter { $0.name.hasSuffix(".d") && $0.kind == .directory }.map {
                PortableNames.join(attached, $0.name)
            }
            for directory in directories {
                guard let handle = try? tree.openDirectoryIfPresent(directory) else { continue }
                let names = ((try? handle.directoryEntries()) ?? []).map(\.name)
                handle.close()
                for name in names where name.hasPrefix(".#berth.") {
                    let transactionID = name.dropFirst(".#berth.".count).split(separator: ".").first.map(String.init)
                    guard let transactionID, !live.contains(transactionID) else { continue }
                    let path = PortableNames.join(directory, name)
                    try? tree.removeTree(path)
                    report.append("Removed orphaned temporary file \(tree.displayPath(path)).")
                }
            }
        }
        return report
    }

    // MARK: - Helpers

    func lock(_ key: String) async throws(PortableError) -> ImageLock {
        try await ImageLock.acquire(tree: tree, directory: configuration.lockDirectory, key: key)
    }

    func display(_ path: String) -> String {
        tree.displayPath(path)
    }
}
