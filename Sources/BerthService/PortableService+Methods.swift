package import BerthClient
import Logging
import PortableEngine

/// The io.berth.Portable methods.
extension PortableService {
    // MARK: - Reading (everyone; inspecting by path: root, polkit, the admin group)

    package func listImages(_ parameters: Portable.ListImagesParameters) async throws -> Portable.ListImagesReply {
        try checkScope(parameters.scope)
        let engine = engine
        let images = try await reading { await engine.listImages() }
        return Portable.ListImagesReply(images: images.map(WireConversion.image))
    }

    package func getImage(_ parameters: Portable.GetImageParameters) async throws -> Portable.GetImageReply {
        try checkScope(parameters.scope)
        let engine = engine
        let image = try await reading { try await engine.image(parameters.image) }
        return Portable.GetImageReply(image: WireConversion.image(image))
    }

    package func inspectImage(
        _ parameters: Portable.InspectImageParameters
    ) async throws -> Portable.InspectImageReply {
        Portable.InspectImageReply(metadata: WireConversion.metadata(try await inspect(parameters, .refuse)))
    }

    /// inspectImage as portabled's GetImageMetadata: the root's os-release passed on as read, also when
    /// it does not parse (portablectl reports that itself), with its exact bytes.
    package func inspectImageUnparsed(
        _ parameters: Portable.InspectImageParameters
    ) async throws -> (reply: Portable.InspectImageReply, osRelease: [UInt8]) {
        let metadata = try await inspect(parameters, .keep)
        return (Portable.InspectImageReply(metadata: WireConversion.metadata(metadata)), metadata.osRelease.bytes)
    }

    private func inspect(
        _ parameters: Portable.InspectImageParameters,
        _ unparsableOSRelease: ReleaseFile.WhenUnparsable
    ) async throws -> ImageMetadata {
        try checkScope(parameters.scope)
        try await authorize(
            "InspectImage",
            images: [parameters.image] + (parameters.extensions ?? []),
            interactive: parameters.allowInteractiveAuthentication
        )
        let engine = engine
        var request = InspectRequest(
            image: parameters.image,
            extensions: parameters.extensions ?? [],
            matches: parameters.matches ?? [],
            force: parameters.force ?? false,
            key: try WireConversion.key(parameters.unlock),
            unparsableOSRelease: unparsableOSRelease
        )
        request.allowInteractiveAuthentication = parameters.allowInteractiveAuthentication ?? false
        let inspection = request
        return try await reading { try engine.inspect(inspection) }
    }

    package func getImageState(
        _ parameters: Portable.GetImageStateParameters
    ) async throws -> Portable.GetImageStateReply {
        try checkScope(parameters.scope)
        let engine = engine
        let state = try await reading {
            try await engine.state(image: parameters.image, extensions: parameters.extensions ?? [])
        }
        return Portable.GetImageStateReply(state: WireConversion.state(state))
    }

    package func getPool(_ parameters: Portable.GetPoolParameters) async throws -> Portable.GetPoolReply {
        try checkScope(parameters.scope)
        let engine = engine
        let pool = try await reading { engine.pool() }
        return Portable.GetPoolReply(
            path: pool.path,
            usage: pool.usage.map { Int(clamping: $0) },
            limit: pool.limit.map { Int(clamping: $0) }
        )
    }

    package func listProfiles(_ parameters: Portable.ListProfilesParameters) async throws -> Portable.ListProfilesReply
    {
        try checkScope(parameters.scope)
        let engine = engine
        return Portable.ListProfilesReply(profiles: try await reading { engine.profiles() })
    }

    // MARK: - Mutating (root, polkit, the admin group)

    package func attachImage(_ parameters: Portable.AttachImageParameters) async throws -> Portable.AttachImageReply {
        try checkScope(parameters.scope)
        return try await change(
            "AttachImage",
            image: parameters.image,
            interactive: parameters.allowInteractiveAuthentication,
            logging: "attached"
        ) {
            try await $0.attach(WireConversion.attachRequest(parameters))
        }.reply()
    }

    package func detachImage(_ parameters: Portable.DetachImageParameters) async throws -> Portable.DetachImageReply {
        try checkScope(parameters.scope)
        return try await change(
            "DetachImage",
            image: parameters.image,
            interactive: parameters.allowInteractiveAuthentication,
            logging: "detached"
        ) {
            try await $0.detach(WireConversion.detachRequest(parameters))
        }.reply()
    }

    package func reattachImage(
        _ parameters: Portable.ReattachImageParameters
    ) async throws -> Portable.ReattachImageReply {
        try checkScope(parameters.scope)
        let result = try await change(
            "ReattachImage",
            image: parameters.image,
            interactive: parameters.allowInteractiveAuthentication,
            logging: "reattached"
        ) {
            try await $0.reattach(WireConversion.attachRequest(parameters))
        }
        return Portable.ReattachImageReply(
            removed: result.removed.map(WireConversion.change),
            updated: result.updated.map(WireConversion.change),
            warnings: result.warnings,
            installChanges: result.installChanges.map(WireConversion.change),
            jobs: result.jobs.map(WireConversion.job)
        )
    }

    package func removeImage(_ parameters: Portable.RemoveImageParameters) async throws -> Portable.RemoveImageReply {
        try checkScope(parameters.scope)
        try await authorize("RemoveImage", interactive: parameters.allowInteractiveAuthentication)
        let engine = engine
        try await serialized(image: parameters.image) { try await engine.remove(image: parameters.image) }
        logger.info("removed image", metadata: ["portable.image": "\(parameters.image)"])
        return Portable.RemoveImageReply()
    }

    package func setImageReadOnly(
        _ parameters: Portable.SetImageReadOnlyParameters
    ) async throws -> Portable.SetImageReadOnlyReply {
        try checkScope(parameters.scope)
        try await authorize("SetImageReadOnly", interactive: parameters.allowInteractiveAuthentication)
        let engine = engine
        let readOnly = parameters.readOnly ?? true
        try await serialized(image: parameters.image) {
            try await engine.setReadOnly(image: parameters.image, readOnly: readOnly)
        }
        return Portable.SetImageReadOnlyReply()
    }

    package func setImageLimit(
        _ parameters: Portable.SetImageLimitParameters
    ) async throws -> Portable.SetImageLimitReply {
        try checkScope(parameters.scope)
        try await authorize("SetImageLimit", interactive: parameters.allowInteractiveAuthentication)
        let limit = try WireConversion.limit(parameters.limit)
        let engine = engine
        try await serialized(image: parameters.image) {
            try await engine.setLimit(image: parameters.image, limit: limit)
        }
        logger.info("set image limit", metadata: ["portable.image": "\(parameters.image)"])
        return Portable.SetImageLimitReply()
    }

    package func setPoolLimit(_ parameters: Portable.SetPoolLimitParameters) async throws -> Portable.SetPoolLimitReply
    {
        try checkScope(parameters.scope)
        try await authorize("SetPoolLimit", interactive: parameters.allowInteractiveAuthentication)
        let limit = try WireConversion.limit(parameters.limit)
        let engine = engine
        try await reading { try engine.setPoolLimit(limit) }
        logger.info("set pool limit")
        return Portable.SetPoolLimitReply()
    }

    // MARK: - Helpers

    /// An attach, detach or reattach: authorized, queued behind other operations on `image`, and logged
    /// with its units and warnings.
    private func change<Result: OperationReport>(
        _ method: String,
        image: String,
        interactive: Bool?,
        logging what: String,
        _ operation: @escaping @Sendable (PortableEngine) async throws -> Result
    ) async throws -> Result {
        try await authorize(method, interactive: interactive)
        let engine = engine
        let result = try await serialized(image: image) { try await operation(engine) }
        logger.info(
            "\(what) \(image)",
            metadata: ["portable.image": "\(image)", "portable.units": "\(result.units.joined(separator: " "))"]
        )
        for warning in result.warnings {
            logger.warning("\(warning)", metadata: ["portable.image": "\(image)"])
        }
        // Not returned to the client, as portabled does not; the log keeps a hostile image from hiding
        // a unit unnoticed.
        for entry in result.skippedEntries {
            logger.notice("\(entry)", metadata: ["portable.image": "\(image)"])
        }
        return result
    }
}

/// What every change reports: the units it touched and what went wrong without stopping it.
protocol OperationReport: Sendable {
    var units: [String] { get }
    var warnings: [String] { get }
    var skippedEntries: [String] { get }
}

extension OperationResult: OperationReport {}
extension ReattachResult: OperationReport {}

/// AttachImage's and DetachImage's replies, which carry the same fields.
protocol OperationReply {
    init(
        units: [String],
        changes: [Portable.Change],
        warnings: [String],
        installChanges: [Portable.Change]?,
        jobs: [Portable.Job]?
    )
}

extension Portable.AttachImageReply: OperationReply {}
extension Portable.DetachImageReply: OperationReply {}

extension OperationResult {
    /// The reply of the method that produced this result.
    func reply<Reply: OperationReply>() -> Reply {
        Reply(
            units: units,
            changes: changes.map(WireConversion.change),
            warnings: warnings,
            installChanges: installChanges.map(WireConversion.change),
            jobs: jobs.map(WireConversion.job)
        )
    }
}
