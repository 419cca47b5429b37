import BerthClient
import PortableEngine
import VarlinkJSON

extension ParsedCommandLine {
    /// Runs the verb: resolves the arguments (inside `--root`), builds the generated parameters, calls
    /// `Portable.API` (berthd, or the service in process), prints the reply.
    package func run() async throws {
        switch verb {
        case .list: try await list()
        case .attach(let settings): try await attach(settings, reattach: false)
        case .reattach(let settings): try await attach(settings, reattach: true)
        case .detach(let selection, let flags): try await detach(selection, flags: flags)
        case .inspect(let selection, let keyFile, let cat): try await inspect(selection, keyFile: keyFile, cat: cat)
        case .isAttached(let selection): try await isAttached(selection)
        case .readOnly(let image, let value): try await setReadOnly(image, value: value)
        case .remove(let images): try await remove(images)
        case .setLimit(let arguments): try await setLimit(arguments)
        case .profiles: try await profiles()
        case .watch(let images): try await watch(images)
        case .copyModes:
            // As portablectl prints its table: one mode a line, then an empty line.
            Terminal.out(AttachOptions.copyModes.joined(separator: "\n") + "\n\n")
        }
    }

    private func list() async throws {
        let images = try await failing("Failed to list images") {
            try await global.withAPI { try await $0.listImages(Portable.ListImagesParameters(scope: global.wireScope)) }
                .images
        }.sorted(byName: \.name)
        if global.json != .off {
            JSONOutput.print(.array(images.map(\.json)), mode: global.json)
            return
        }
        Terminal.out(ImageList.render(images, legend: !global.noLegend))
    }

    private func attach(_ settings: AttachSettings, reattach: Bool) async throws {
        let selection = settings.selection
        try AttachOptions.validate(profile: settings.profile)
        try AttachOptions.validate(copy: settings.copy)
        let (profile, copyMode) = (try AttachOptions.resolve(profile: settings.profile, for: global), settings.copy)
        // portablectl's order: the image's path, the "(Matching …)" line, then the extensions' paths.
        let image = try ImageArgument.resolve(selection.image, for: global, mustExist: true)
        // A descriptor names its image and prefixes itself: the service reads it.
        let describes = PortableDescriptor.isDescriptor(image) && selection.prefixes.isEmpty
        let matches =
            describes
            ? []
            : try ImageArgument.matches(
                image: selection.image,
                prefixes: selection.prefixes,
                allowAll: false,
                quiet: global.quietOrJSON
            )
        let parameters = Portable.AttachImageParameters(
            image: image,
            extensions: Self.list(try selection.resolvedExtensions(for: global, mustExist: true)),
            matches: Self.list(matches),
            profile: profile,
            copyMode: Portable.CopyMode(rawValue: copyMode),
            runtime: Self.flag(settings.flags.runtime),
            force: Self.flag(selection.force),
            noReload: Self.flag(settings.flags.noReload),
            enable: Self.flag(settings.flags.enable),
            now: Self.flag(settings.flags.now),
            noBlock: Self.flag(settings.flags.noBlock),
            unlock: try KeyOptions.read(settings.keyFile).map { Portable.Unlock(key: Base64.encode($0)) },
            scope: global.wireScope
        )
        if reattach {
            let reply = try await failing("\(Self.method("ReattachImage", for: selection)) failed") {
                try await global.withAPI(recovering: true) {
                    try await $0.reattachImage(Portable.ReattachImageParameters(attaching: parameters))
                }
            }
            var fields: JSONObject = [
                "removed": .array(reply.removed.map(\.json)), "updated": .array(reply.updated.map(\.json)),
            ]
            let service = ServiceReport(installChanges: reply.installChanges, jobs: reply.jobs)
            service.add(to: &fields)
            report(
                json: .object(fields),
                changes: reply.removed + reply.updated,
                after: service.linesAfterChanges,
                warnings: reply.warnings
            )
        } else {
            let reply = try await failing("\(Self.method("AttachImage", for: selection)) failed") {
                try await global.withAPI(recovering: true) { try await $0.attachImage(parameters) }
            }
            report(
                units: reply.units,
                changes: reply.changes,
                service: ServiceReport(installChanges: reply.installChanges, jobs: reply.jobs),
                detaching: false,
                warnings: reply.warnings
            )
        }
    }

    private func detach(_ selection: ImageSelection, flags: ServiceManagerFlags) async throws {
        let path = try ImageArgument.resolve(selection.image, for: global, mustExist: false)
        // Checked for portablectl's errors and its "(Matching unit files …)" line; the service finds the
        // units to stop or disable from what is attached.
        if flags.now || flags.enable, !PortableDescriptor.isDescriptor(path) { try announcePrefixes(of: selection) }
        let parameters = Portable.DetachImageParameters(
            image: path,
            extensions: Self.list(try selection.resolvedExtensions(for: global, mustExist: false)),
            runtime: Self.flag(flags.runtime),
            force: Self.flag(selection.force),
            noReload: Self.flag(flags.noReload),
            enable: Self.flag(flags.enable),
            now: Self.flag(flags.now),
            noBlock: Self.flag(flags.noBlock),
            scope: global.wireScope
        )
        let reply = try await failing("\(Self.method("DetachImage", for: selection)) failed") {
            try await global.withAPI(recovering: true) { api in
                do { return try await api.detachImage(parameters) } catch Portable.Error.unitActive(let unit) {
                    throw ErrorText.activeOnDetach(unit)
                }
            }
        }
        report(
            units: reply.units,
            changes: reply.changes,
            service: ServiceReport(installChanges: reply.installChanges, jobs: reply.jobs),
            detaching: true,
            warnings: reply.warnings
        )
    }

    private func inspect(_ selection: ImageSelection, keyFile: String?, cat: Bool) async throws {
        let path = try ImageArgument.resolve(selection.image, for: global, mustExist: true)
        // No prefixes: the service derives them, so it can fall back to the image's PORTABLE_PREFIXES=
        // when the name-derived prefix matches nothing. "-" is passed on as "every unit".
        let describes = PortableDescriptor.isDescriptor(path)
        if selection.prefixes.isEmpty {
            if !global.quietOrJSON, !describes, let derived = try? ImageArgument.prefix(of: selection.image) {
                Terminal.err("(Matching unit files with prefix '\(derived)'.)\n")
            }
        } else {
            try announcePrefixes(of: selection)
        }
        let parameters = Portable.InspectImageParameters(
            image: path,
            extensions: Self.list(try selection.resolvedExtensions(for: global, mustExist: true)),
            matches: Self.list(selection.prefixes),
            force: Self.flag(selection.force),
            unlock: try KeyOptions.read(keyFile).map { Portable.Unlock(key: Base64.encode($0)) },
            scope: global.wireScope
        )
        let metadata: Portable.ImageMetadata
        do {
            metadata = try await global.withAPI { api in
                do { return try await api.inspectImage(parameters).metadata } catch let error as Portable.Error {
                    throw ErrorText.inspectFailure(error)
                }
            }
        } catch {
            // portablectl parses os-release itself: its failure is not the service's, so not prefixed.
            guard error.message.hasPrefix(ErrorText.osReleaseParseFailure) || error.isWholeLine else {
                throw CLIError(
                    "Failed to inspect image metadata: \(error.message)",
                    hint: error.hint,
                    exitCode: error.exitCode
                )
            }
            throw error
        }
        if selection.prefixes.isEmpty, !global.quietOrJSON, !describes {
            Self.announceRetry(metadata, image: selection.image)
        }
        if global.json != .off {
            JSONOutput.print(metadata.json, mode: global.json)
        } else {
            Terminal.out(InspectPrinter.render(metadata, cat: cat))
        }
    }

    /// The service matched the image's `PORTABLE_PREFIXES=` because the name's prefix matched nothing:
    /// say so, as portablectl 262 does.
    private static func announceRetry(_ metadata: Portable.ImageMetadata, image: String) {
        guard let derived = try? ImageArgument.prefix(of: image),
            !metadata.units.contains(where: { PortableNames.unitMatches($0.name, prefixes: [derived]) })
        else { return }
        let declared = (metadata.osRelease["PORTABLE_PREFIXES"] ?? "").split(whereSeparator: \.isWhitespace)
        guard !declared.isEmpty else { return }
        Terminal.err(
            "(No matching unit files found with the image name prefix, retrying with PORTABLE_PREFIXES= from os-release.)\n"
        )
        let quoted = declared.map { "'\($0)'" }.joined(separator: ", ")
        Terminal.err("(Matching unit files with \(declared.count == 1 ? "prefix" : "prefixes") \(quoted).)\n")
    }

    private func isAttached(_ selection: ImageSelection) async throws {
        let path = try ImageArgument.resolve(selection.image, for: global, mustExist: false)
        let parameters = Portable.GetImageStateParameters(
            image: path,
            extensions: Self.list(try selection.resolvedExtensions(for: global, mustExist: false)),
            scope: global.wireScope
        )
        let state = try await failing("Failed to get image state") {
            try await global.withAPI { try await $0.getImageState(parameters) }.state
        }
        if global.json != .off {
            JSONOutput.print(.object(["image": .string(path), "state": .string(state.text)]), mode: global.json)
        } else if !global.quiet {
            Terminal.out(state.text + "\n")
        }
        if global.quiet, state == .detached { throw SilentExit(code: 1) }
    }

    /// Checks the unit prefixes given (`-` means every unit) and says which are matched, as portablectl does.
    private func announcePrefixes(of selection: ImageSelection) throws(CLIError) {
        _ = try ImageArgument.matches(
            image: selection.image,
            prefixes: selection.prefixes,
            allowAll: true,
            quiet: global.quietOrJSON
        )
    }

    /// Attach and detach: the changes as portablectl prints them (stderr), or one JSON object. What PID 1
    /// did comes after an attach's changes; a detach stops and disables first, so it comes before.
    private func report(
        units: [String],
        changes: [Portable.Change],
        service: ServiceReport,
        detaching: Bool,
        warnings: [String]
    ) {
        var fields: JSONObject = [
            "units": .array(units.map { .string($0) }),
            "changes": .array(changes.map(\.json)),
            "warnings": .array(warnings.map { .string($0) }),
        ]
        service.add(to: &fields)
        report(
            json: .object(fields),
            changes: changes,
            before: detaching ? service.linesBeforeDetaching : "",
            after: detaching ? "" : service.linesAfterChanges,
            warnings: warnings
        )
    }

    private func report(
        json: JSONValue,
        changes: [Portable.Change],
        before: String = "",
        after: String = "",
        warnings: [String]
    ) {
        if global.json != .off {
            JSONOutput.print(json, mode: global.json)
        } else if !global.quiet {
            Terminal.err(before + ChangePrinter.lines(for: changes) + after)
        }
        Terminal.warn(warnings, quiet: global.quiet)
    }

    /// The D-Bus method portablectl names in its "… failed:" line: the `WithExtensions` variant when
    /// extensions or `--force` are given, as portablectl calls it then.
    private static func method(_ name: String, for selection: ImageSelection) -> String {
        selection.extensions.isEmpty && !selection.force ? name : name + "WithExtensions"
    }

    /// Optional wire fields are left out when they hold their default, as portablectl's flags word does.
    private static func flag(_ value: Bool) -> Bool? { value ? true : nil }

    private static func list(_ values: [String]) -> [String]? { values.isEmpty ? nil : values }
}

extension Portable.ReattachImageParameters {
    /// Reattach takes exactly what attach takes.
    init(attaching parameters: Portable.AttachImageParameters) {
        self.init(
            image: parameters.image,
            extensions: parameters.extensions,
            matches: parameters.matches,
            profile: parameters.profile,
            copyMode: parameters.copyMode,
            runtime: parameters.runtime,
            force: parameters.force,
            noReload: parameters.noReload,
            enable: parameters.enable,
            now: parameters.now,
            noBlock: parameters.noBlock,
            unlock: parameters.unlock,
            scope: parameters.scope
        )
    }
}
