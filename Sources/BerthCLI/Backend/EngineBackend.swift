import PortableEngine

/// `--root=DIR`: the engine in process on an offline tree, with the no-op PID 1 manager.
package struct EngineBackend: PortableBackend {
    let engine: PortableEngine

    package init(root: String) throws(CLIError) {
        let normalized = ImageArgument.normalize(
            root.hasPrefix("/") ? root : ImageArgument.currentDirectory() + "/" + root
        )
        do {
            engine = try PortableEngine(
                configuration: EngineConfiguration(root: normalized),
                serviceManager: OfflineServiceManager()
            )
        } catch {
            throw CLIError(
                "Cannot use --root=\(root): \(error.description)",
                hint: "--root= needs an existing directory holding the tree to operate on."
            )
        }
    }

    package func listImages() async throws -> [CLIImageSummary] {
        await engine.listImages().map(Self.summary)
    }

    package func inspect(_ request: CLIInspectRequest) async throws -> CLIImageMetadata {
        let metadata = try await mapped {
            try engine.inspect(
                InspectRequest(
                    image: request.image,
                    extensions: request.extensions,
                    matches: request.matches,
                    force: request.force,
                    key: request.key.map { ImageKey(bytes: $0) }
                )
            )
        }
        return CLIImageMetadata(
            path: metadata.path,
            osRelease: Array(metadata.osRelease.contents.utf8),
            extensions: metadata.extensionReleases.map {
                CLIImageMetadata.File(name: $0.image, contents: Array($0.contents.utf8))
            },
            units: metadata.units.map { CLIImageMetadata.File(name: $0.name, contents: Array($0.contents.utf8)) },
            disk: metadata.disk
        )
    }

    package func state(_ request: CLIStateRequest) async throws -> String {
        try await mapped { try await engine.state(image: request.image, extensions: request.extensions) }.rawValue
    }

    package func attach(_ request: CLIAttachRequest) async throws -> CLIOperationResult {
        recover()
        let result = try await mapped { try await engine.attach(Self.engineRequest(request)) }
        return CLIOperationResult(
            units: result.units,
            changes: result.changes.map(Self.change),
            warnings: result.warnings
        )
    }

    package func reattach(_ request: CLIAttachRequest) async throws -> CLIReattachResult {
        recover()
        let result = try await mapped { try await engine.reattach(Self.engineRequest(request)) }
        return CLIReattachResult(
            removed: result.removed.map(Self.change),
            updated: result.updated.map(Self.change),
            warnings: result.warnings
        )
    }

    package func detach(_ request: CLIDetachRequest) async throws -> CLIOperationResult {
        recover()
        let result = try await mapped {
            try await engine.detach(
                DetachRequest(
                    image: request.image,
                    extensions: request.extensions,
                    runtime: request.flags.runtime,
                    force: request.force,
                    noReload: request.flags.noReload,
                    enable: request.flags.enable,
                    now: request.flags.now,
                    noBlock: request.flags.noBlock
                )
            )
        }
        return CLIOperationResult(
            units: result.units,
            changes: result.changes.map(Self.change),
            warnings: result.warnings
        )
    }

    package func remove(image: String) async throws {
        recover()
        try await mapped { try await engine.remove(image: image) }
    }

    package func setReadOnly(image: String, readOnly: Bool) async throws {
        try await mapped { try await engine.setReadOnly(image: image, readOnly: readOnly) }
    }

    package func setLimit(image: String?, limit: UInt64?) async throws {
        throw CLIError(
            "Quotas are not supported: Berth's pool has no btrfs quota support.",
            hint: "Use file system quotas on the pool directory instead."
        )
    }

    package func profiles() async throws -> [String] {
        engine.profiles()
    }

    // MARK: - Conversions

    /// Finishes or undoes what an interrupted run (kill -9, power loss) left behind, and says so.
    private func recover() {
        for line in engine.recover() { Terminal.err(line + "\n") }
    }

    private func mapped<T>(_ body: () async throws -> T) async throws(CLIError) -> T {
        do {
            return try await body()
        } catch let error as PortableError {
            throw EngineErrorText.cliError(for: error)
        } catch {
            throw CLIError("\(error)")
        }
    }

    static func engineRequest(_ request: CLIAttachRequest) -> AttachRequest {
        AttachRequest(
            image: request.image,
            extensions: request.extensions,
            matches: request.matches,
            profile: request.profile,
            copyMode: CopyMode(rawValue: request.copyMode) ?? .auto,
            runtime: request.flags.runtime,
            force: request.force,
            noReload: request.flags.noReload,
            enable: request.flags.enable,
            now: request.flags.now,
            noBlock: request.flags.noBlock,
            key: request.key.map { ImageKey(bytes: $0) }
        )
    }

    static func change(_ change: Change) -> ChangeRecord {
        ChangeRecord(type: change.kind.rawValue, path: change.path, source: change.source ?? "")
    }

    static func summary(_ image: ImageSummary) -> CLIImageSummary {
        CLIImageSummary(
            name: image.name,
            type: image.kind.rawValue,
            path: image.path,
            readOnly: image.readOnly,
            creationTime: image.creationTimestamp,
            modificationTime: image.modificationTimestamp,
            usage: image.usage,
            state: image.state.rawValue,
            disk: image.disk
        )
    }
}
