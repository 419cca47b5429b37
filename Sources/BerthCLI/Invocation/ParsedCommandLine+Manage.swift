import BerthClient
import VarlinkJSON

/// The verbs that manage images rather than attach them: read-only, remove, set-limit, profiles.
extension ParsedCommandLine {
    func setReadOnly(_ image: String, value: String?) async throws {
        var readOnly = true
        if let value {
            guard let parsed = BooleanArgument.parse(value) else {
                throw CLIError(
                    "Failed to parse boolean argument: \(value)",
                    hint: "Use yes or no (also true/false, on/off, 1/0)."
                )
            }
            readOnly = parsed
        }
        let path = try ImageArgument.resolve(image, for: global, mustExist: true)
        let parameters = Portable.SetImageReadOnlyParameters(image: path, readOnly: readOnly, scope: global.wireScope)
        _ = try await failing("Could not mark image read-only") {
            try await global.withAPI { try await $0.setImageReadOnly(parameters) }
        }
    }

    func remove(_ images: [String]) async throws {
        for image in images {
            let path = try ImageArgument.resolve(image, for: global, mustExist: true)
            _ = try await failing("Could not remove image") {
                try await global.withAPI(recovering: true) {
                    try await $0.removeImage(Portable.RemoveImageParameters(image: path, scope: global.wireScope))
                }
            }
        }
    }

    /// `set-limit [IMAGE] BYTES`: one image's quota, or the pool's.
    func setLimit(_ arguments: [String]) async throws {
        let sizeText = arguments[arguments.count - 1]
        guard let limit = ValueFormatting.parseSize(sizeText) else {
            throw CLIError("Failed to parse size: \(sizeText)", hint: "Give bytes like 512M or 10G, or 'none'.")
        }
        let wireLimit = limit.map { Int(clamping: $0) }
        guard arguments.count == 2 else {
            _ = try await failing("Could not set limit") {
                try await global.withAPI { api in
                    do {
                        return try await api.setPoolLimit(
                            Portable.SetPoolLimitParameters(limit: wireLimit, scope: global.wireScope)
                        )
                    } catch Portable.Error.notSupported(let reason) {
                        throw CLIError(reason)  // portablectl prints portabled's sentence alone
                    } catch {
                        // portabled words a failing quota ioctl "Failed to adjust quota limit: %m".
                        guard let text = ErrorText.errnoText(error) else { throw error }
                        throw CLIError("Failed to adjust quota limit: \(text)")
                    }
                }
            }
            return
        }
        let image = try ImageArgument.resolve(arguments[0], for: global, mustExist: true)
        let parameters = Portable.SetImageLimitParameters(image: image, limit: wireLimit, scope: global.wireScope)
        _ = try await failing("Could not set limit") {
            try await global.withAPI { try await $0.setImageLimit(parameters) }
        }
    }

    func profiles() async throws {
        let profiles = try await failing("Failed to acquire list of profiles") {
            try await global.withAPI {
                try await $0.listProfiles(Portable.ListProfilesParameters(scope: global.wireScope))
            }.profiles
        }
        if global.json != .off {
            JSONOutput.print(.array(profiles.map { .string($0) }), mode: global.json)
            return
        }
        if !global.noLegend && !global.quiet { Terminal.err("Available unit profiles:\n") }
        Terminal.out(profiles.map { $0 + "\n" }.joined())
    }
}
