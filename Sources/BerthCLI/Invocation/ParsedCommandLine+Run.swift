import VarlinkJSON

extension ParsedCommandLine {
    /// Runs the verb: resolves the arguments (inside `--root`), asks the backend, prints the result.
    package func run() async throws {
        switch verb {
        case .list: try await list()
        case .attach(let settings): try await attach(settings, reattach: false)
        case .reattach(let settings): try await attach(settings, reattach: true)
        case .detach(let selection, let flags): try await detach(selection, flags: flags)
        case .inspect(let selection, let keyFile, let cat): try await inspect(selection, keyFile: keyFile, cat: cat)
        case .isAttached(let selection): try await isAttached(selection)
        }
    }

    private func list() async throws {
        let backend = try global.makeBackend()
        let images = try await failing("Failed to list images") { try await backend.listImages() }
            .sorted { $0.name < $1.name }
        if global.json != .off {
            JSONOutput.print(.array(images.map(\.json)), mode: global.json)
            return
        }
        Terminal.out(Berthctl.List.render(images, legend: !global.noLegend))
    }

    private func attach(_ settings: AttachSettings, reattach: Bool) async throws {
        if settings.copy == "help" {
            Terminal.out(AttachOptions.copyModes.joined(separator: "\n") + "\n")
            return
        }
        if settings.profile == "help" {
            try await Berthctl.Profiles.show(global: global)
            return
        }
        let selection = settings.selection
        let (profile, copyMode) = try AttachOptions.validate(profile: settings.profile, copy: settings.copy)
        let request = CLIAttachRequest(
            image: try ImageArgument.resolve(selection.image, root: global.root, mustExist: true),
            extensions: try selection.resolvedExtensions(root: global.root, mustExist: true),
            matches: try ImageArgument.matches(
                image: selection.image,
                prefixes: selection.prefixes,
                allowAll: false,
                quiet: global.quietOrJSON
            ),
            profile: profile,
            copyMode: copyMode,
            force: selection.force,
            flags: settings.flags,
            key: try KeyOptions.read(settings.keyFile)
        )
        let backend = try global.makeBackend()
        if reattach {
            let result = try await failing("Failed to reattach image '\(selection.image)'") {
                try await backend.reattach(request)
            }
            let json: JSONValue = .object([
                "removed": .array(result.removed.map(\.json)), "updated": .array(result.updated.map(\.json)),
            ])
            report(json: json, changes: result.removed + result.updated, warnings: result.warnings)
        } else {
            let result = try await failing("Failed to attach image '\(selection.image)'") {
                try await backend.attach(request)
            }
            report(result)
        }
    }

    private func detach(_ selection: ImageSelection, flags: ServiceManagerFlags) async throws {
        let path = try ImageArgument.resolve(selection.image, root: global.root, mustExist: false)
        var matches: [String] = []
        if flags.now || flags.enable {
            matches = try ImageArgument.matches(
                image: selection.image,
                prefixes: selection.prefixes,
                allowAll: true,
                quiet: global.quietOrJSON
            )
        }
        let request = CLIDetachRequest(
            image: path,
            extensions: try selection.resolvedExtensions(root: global.root, mustExist: false),
            matches: matches,
            force: selection.force,
            flags: flags
        )
        let backend = try global.makeBackend()
        let result = try await failing("Failed to detach image '\(selection.image)'") {
            try await backend.detach(request)
        }
        report(result)
    }

    private func inspect(_ selection: ImageSelection, keyFile: String?, cat: Bool) async throws {
        let path = try ImageArgument.resolve(selection.image, root: global.root, mustExist: true)
        // No prefixes: let the engine derive them, so it can fall back to the image's PORTABLE_PREFIXES=
        // when the name-derived prefix matches nothing. "-" is passed on as "every unit".
        if selection.prefixes.isEmpty {
            if !global.quietOrJSON, let derived = try? ImageArgument.prefix(of: selection.image) {
                Terminal.err("(Matching unit files with prefix '\(derived)'.)\n")
            }
        } else {
            _ = try ImageArgument.matches(
                image: selection.image,
                prefixes: selection.prefixes,
                allowAll: true,
                quiet: global.quietOrJSON
            )
        }
        let request = CLIInspectRequest(
            image: path,
            extensions: try selection.resolvedExtensions(root: global.root, mustExist: true),
            matches: selection.prefixes,
            force: selection.force,
            key: try KeyOptions.read(keyFile)
        )
        let backend = try global.makeBackend()
        let metadata = try await failing("Failed to inspect image metadata") { try await backend.inspect(request) }
        if global.json != .off {
            JSONOutput.print(metadata.json, mode: global.json)
        } else {
            Terminal.out(bytes: InspectPrinter.render(metadata, cat: cat))
        }
    }

    private func isAttached(_ selection: ImageSelection) async throws {
        let path = try ImageArgument.resolve(selection.image, root: global.root, mustExist: false)
        let request = CLIStateRequest(
            image: path,
            extensions: try selection.resolvedExtensions(root: global.root, mustExist: false),
            force: selection.force
        )
        let backend = try global.makeBackend()
        let state = try await failing("Failed to get image state") { try await backend.state(request) }
        if global.json != .off {
            JSONOutput.print(.object(["image": .string(path), "state": .string(state)]), mode: global.json)
        } else if !global.quiet {
            Terminal.out(state + "\n")
        }
        if global.quiet, state == "detached" { throw SilentExit(code: 1) }
    }

    /// Attach and detach: the changes as portablectl prints them (stderr), or one JSON object.
    private func report(_ result: CLIOperationResult) {
        let json: JSONValue = .object([
            "units": .array(result.units.map { .string($0) }),
            "changes": .array(result.changes.map(\.json)),
            "warnings": .array(result.warnings.map { .string($0) }),
        ])
        report(json: json, changes: result.changes, warnings: result.warnings)
    }

    private func report(json: JSONValue, changes: [ChangeRecord], warnings: [String]) {
        if global.json != .off {
            JSONOutput.print(json, mode: global.json)
        } else if !global.quiet {
            Terminal.err(ChangePrinter.lines(for: changes))
        }
        Terminal.warn(warnings, quiet: global.quiet)
    }
}
