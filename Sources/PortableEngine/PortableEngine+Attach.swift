import SystemCalls

/// Attach: plan (read, match, validate, compute every file operation) and apply (one transaction).
extension PortableEngine {
    /// Computes the attach without changing anything (a preview, or the first half of `attach`).
    package func planAttach(_ request: AttachRequest) async throws(PortableError) -> Plan {
        try await planAttach(try expanded(request), reattaching: false)
    }

    /// Attaches the matching units of an image (and extensions): all of them or none.
    package func attach(_ request: AttachRequest) async throws(PortableError) -> OperationResult {
        let request = try expanded(request)
        let key = try lockKey(for: request.image)
        let lock = try await lock(key)
        defer { withExtendedLifetime(lock) {} }
        let plan = try await planAttach(request, reattaching: false)
        let outcome = try await apply(plan)
        return OperationResult(
            units: plan.units,
            changes: plan.changes,
            warnings: outcome.warnings,
            skippedEntries: plan.skippedEntries,
            installChanges: outcome.installChanges,
            jobs: outcome.jobs
        )
    }

    /// The lock key: the image's base name (so versions of one image serialize with each other).
    func lockKey(for image: String) throws(PortableError) -> String {
        if PortableNames.isValidImageName(image) { return PortableNames.imageBaseName(image) }
        // A vpick directory ("/srv/app.v/") locks as the image it holds versions of ("app").
        var path = image
        if path.hasSuffix(".v/") { path.removeLast() }
        guard PortableNames.isNormalizedAbsolutePath(path) else {
            throw .invalidArgument(
                parameter: "image",
                reason: "Image name '\(image)' is not valid or not a normalized absolute path."
            )
        }
        if path.hasSuffix(".v") { path.removeLast(2) }
        return PortableNames.imageBaseName(path)
    }

    func planAttach(_ request: AttachRequest, reattaching: Bool) async throws(PortableError) -> Plan {
        let images = try load(request)
        let prefixes = try effectivePrefixes(request.matches, images: images, allowAll: false)
        try validateForAttach(images, prefixes: prefixes, as: request.image)
        var skipped: [String] = []
        let units = try images.units(matching: prefixes, skipped: &skipped)
        guard !units.isEmpty else { throw .noMatchingUnitFiles(image: images.root.path, matches: prefixes) }
        let root = images.root.path
        let attachedDirectory = configuration.attachedDirectory(runtime: request.runtime)
        if !request.force && !reattaching {
            try await checkHost(units: units)
        }
        try await checkManagerLoads(attachedDirectory)

        var builder = PlanBuilder(engine: self)
        builder.makeDirectory(attachedDirectory)
        let rootLayer = PortableDropIn.Layer(
            path: root,
            kind: images.root.kind,
            release: images.osRelease,
            pinnedPolicy: images.root.pinnedPolicy
        )
        let extensionLayers = images.extensions.map { layer in
            PortableDropIn.Layer(
                path: layer.image.path,
                kind: layer.image.kind,
                release: layer.release,
                pinnedPolicy: layer.image.pinnedPolicy
            )
        }
        var unitFiles: [(FileOperation, Change)] = []
        for unit in units {
            let unitPath = PortableNames.join(attachedDirectory, unit.name)
            let dropInDirectory = unitPath + ".d"
            builder.makeDirectory(dropInDirectory)
            let dropIn = PortableDropIn.text(
                unit: unit.name,
                sourceImage: unit.image,
                root: rootLayer,
                extensions: extensionLayers,
                relaxExtensionCheck: request.force
            )
            builder.write(PortableNames.join(dropInDirectory, PortableDropIn.fileName), Array(dropIn.utf8))
            try builder.profile(
                request.profile,
                unit: unit.name,
                at: PortableNames.join(dropInDirectory, PortableDropIn.profileFileName),
                copy: request.copyMode == .copy
            )
            // The unit file goes last, after every drop-in of every unit: PID 1 never sees a unit
            // without its sandboxing.
            let sourceKind = images.layerKind(of: unit.image)
            let inImageSource = unit.resolvedPath.map { symlinkTarget(of: unit, resolved: $0) }
            if request.copyMode == .symlink, sourceKind.isTree, let inImageSource {
                unitFiles.append(
                    (
                        .symlink(path: unitPath, target: inImageSource),
                        Change(kind: .symlink, path: display(unitPath), source: inImageSource)
                    )
                )
            } else {
                unitFiles.append(
                    (
                        .writeFile(path: unitPath, contents: Array(unit.contents.utf8), mode: 0o644),
                        // portabled names the entry it read, not where its symlink led inside the image.
                        Change(
                            kind: .copy,
                            path: display(unitPath),
                            source: sourceKind.isTree ? display(unit.image + unit.path) : nil
                        )
                    )
                )
            }
        }
        for (operation, change) in unitFiles { builder.append(operation, change) }
        for layer in images.extensions.map(\.image) + [images.root] {
            builder.linkImage(
                layer,
                runtime: request.runtime,
                mode: request.copyMode,
                force: request.force,
                reattaching: reattaching
            )
        }

        var actions = ServiceActions()
        actions.runtime = request.runtime
        actions.reload = !request.noReload
        actions.wait = !request.noBlock
        let names = units.map(\.name)
        if request.enable { actions.enable = names.map { PortableNames.join(attachedDirectory, $0) } }
        if request.now { actions.start = names }
        return Plan(
            kind: .attach,
            image: root,
            units: names,
            removedUnits: [],
            operations: builder.operations,
            changes: builder.changes,
            removedChanges: [],
            serviceActions: actions,
            runtime: request.runtime,
            lockKey: PortableNames.imageBaseName(root),
            skippedEntries: skipped
        )
    }

    /// Unit already on the host (in any unit directory, including an earlier attachment of this very image)
    /// → UnitExists, as portabled does: re-attaching needs `--force`, reattach or a detach first. Active →
    /// UnitActive.
    private func checkHost(units: [UnitFile]) async throws(PortableError) {
        let names = units.map(\.name)
        let active: Set<String>
        do { active = try await serviceManager.activeUnits(names) } catch {
            throw .notSupported(reason: "Cannot query the state of \(names.joined(separator: ", ")): \(error)")
        }
        for unit in units {
            for directory in configuration.hostUnitDirectories {
                let path = PortableNames.join(directory, unit.name)
                guard (try? tree.status(path)) ?? nil != nil else { continue }
                throw .unitExists(unit: unit.name, path: display(path))
            }
            if active.contains(unit.name) { throw .unitActive(unit: unit.name) }
        }
    }

    /// A user's manager before systemd 260 does not search the `user.attached` directories: units put
    /// there would never load, so the attach is refused before anything is written. The system manager
    /// has searched `system.attached` since portable services exist; it is not asked.
    private func checkManagerLoads(_ attachedDirectory: String) async throws(PortableError) {
        guard configuration.scope == .user, let searched = try? await serviceManager.unitSearchPath(),
            !searched.contains(attachedDirectory)
        else { return }
        throw .notSupported(
            reason: "The user's service manager does not load units from \(attachedDirectory) (systemd < 260), "
                + "refusing. Add it to SYSTEMD_UNIT_PATH= of the user's user@UID.service (README, User scope)."
        )
    }

    /// Where `--copy=symlink` points a unit: portabled's choice, the entry in the image, when the host
    /// reaches the same file through it (no symlinks, or relative ones that stay inside the image);
    /// otherwise where the entry resolves with the image as root, since an absolute in-image symlink
    /// followed on the host would lead to a host file.
    private func symlinkTarget(of unit: UnitFile, resolved: String) -> String {
        let entry = unit.image + unit.path
        let target = unit.image + resolved
        guard entry != target else { return entry }
        func identity(_ path: String) -> (UInt64, UInt64)? {
            guard let fd = try? tree.open(path, flags: [.path]) else { return nil }
            defer { fd.close() }
            return (try? fd.status()).map { ($0.device, $0.inode) }
        }
        guard let viaEntry = identity(entry), let viaTarget = identity(target), viaEntry == viaTarget else {
            return target
        }
        return entry
    }

    /// Applies a plan as one transaction, then asks PID 1 for what the plan says.
    /// Returns warnings for PID 1 requests that failed (the files are in place either way), and the
    /// `[Install]` links PID 1 reports it created or removed enabling or disabling units.
    package func apply(_ plan: Plan) async throws(PortableError) -> AppliedPlan {
        let actions = plan.serviceActions
        var warnings: [String] = []
        var installChanges: [Change] = []
        var jobs: [QueuedJob] = []
        let available = await serviceManager.isAvailable
        if available {
            await attempt(&warnings, "stop") {
                jobs += try await self.serviceManager.stopInOrder(actions.stopBefore, wait: true)
            }
            if !actions.disableBefore.isEmpty {
                await attempt(&warnings, "disable") {
                    installChanges += try await self.serviceManager.disable(
                        actions.disableBefore,
                        runtime: actions.runtime
                    )
                }
            }
        }
        let transaction = Transaction(
            tree: tree,
            configuration: configuration,
            attachedDirectory: configuration.attachedDirectory(runtime: plan.runtime),
            lockKey: plan.lockKey
        )
        try transaction.apply(plan.operations)
        guard available else {
            if actions.reload || !actions.enable.isEmpty || !actions.start.isEmpty || !actions.restart.isEmpty {
                if !tree.isOffline { warnings.append("No service manager available: file changes only.") }
            }
            return AppliedPlan(warnings: warnings, installChanges: installChanges, jobs: jobs)
        }
        if actions.reload { await attempt(&warnings, "reload") { try await self.serviceManager.reload() } }
        if !actions.enable.isEmpty {
            await attempt(&warnings, "enable") {
                installChanges += try await self.serviceManager.enable(
                    unitFiles: actions.enable,
                    runtime: actions.runtime
                )
            }
        }
        if !actions.start.isEmpty {
            await attempt(&warnings, "start") {
                jobs += try await self.serviceManager.startInOrder(actions.start, wait: actions.wait)
            }
        }
        if !actions.restart.isEmpty {
            await attempt(&warnings, "restart") {
                jobs += try await self.serviceManager.restart(actions.restart, wait: actions.wait)
            }
        }
        return AppliedPlan(warnings: warnings, installChanges: installChanges, jobs: jobs)
    }

    private func attempt(_ warnings: inout [String], _ what: String, _ body: () async throws -> Void) async {
        do { try await body() } catch { warnings.append("Failed to \(what) units: \(error)") }
    }
}

extension LoadedImages {
    func layerKind(of path: String) -> ImageKind {
        if path == root.path { return root.kind }
        return extensions.first { $0.image.path == path }?.image.kind ?? root.kind
    }
}
