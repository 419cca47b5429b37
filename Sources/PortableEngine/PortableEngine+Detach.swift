import SystemCalls

/// Detach and reattach.
extension PortableEngine {
    /// Computes the detach without changing anything.
    package func planDetach(_ request: DetachRequest) async throws(PortableError) -> Plan {
        let request = try expanded(request)
        let root = try detachTarget(request.image)
        let directory = configuration.attachedDirectory(runtime: request.runtime)
        let all = scanner.attachments(in: directory)
        let matched = all.filter { $0.matchesExactly(root: root, extensions: request.extensions) }
        guard !matched.isEmpty else { throw .imageNotAttached(image: request.image) }
        if !request.force {
            for attachment in matched {
                let active: Bool
                do { active = try await serviceManager.isActive(attachment.unit) } catch {
                    throw .notSupported(reason: "Cannot query the state of \(attachment.unit): \(error)")
                }
                if active && !request.now { throw .unitActive(unit: attachment.unit) }
            }
        }
        var builder = PlanBuilder(engine: self)
        removeUnits(matched, from: directory, into: &builder)
        let remaining = all.filter { !matched.contains($0) }
        unlinkImages(of: matched, keeping: remaining, runtime: request.runtime, into: &builder)
        // Like portabled: the attached directory goes too once nothing else is attached there (best effort:
        // a directory that still holds other files stays).
        if remaining.isEmpty {
            builder.append(.removeDirectory(path: directory), Change(kind: .unlink, path: display(directory)))
        }
        var actions = ServiceActions()
        actions.runtime = request.runtime
        actions.reload = !request.noReload
        actions.wait = !request.noBlock
        let names = matched.map(\.unit)
        if request.now { actions.stopBefore = names }
        if request.enable { actions.disableBefore = names }
        return Plan(
            kind: .detach,
            image: root,
            units: names,
            removedUnits: names,
            operations: builder.operations,
            changes: builder.changes,
            removedChanges: builder.changes,
            serviceActions: actions,
            runtime: request.runtime,
            lockKey: PortableNames.imageBaseName(root)
        )
    }

    /// Detaches what the markers say belongs to the image (with exactly these extensions).
    package func detach(_ request: DetachRequest) async throws(PortableError) -> OperationResult {
        let request = try expanded(request)
        let lock = try await lock(try lockKey(for: request.image))
        defer { withExtendedLifetime(lock) {} }
        let plan = try await planDetach(request)
        let outcome = try await apply(plan)
        return OperationResult(
            units: plan.units,
            changes: plan.changes,
            warnings: outcome.warnings,
            installChanges: outcome.installChanges,
            jobs: outcome.jobs
        )
    }

    /// Computes the reattach: the new version's attach plus removal of units the new version dropped,
    /// as one plan, so applying it gives the old or the new state and never a mix.
    package func planReattach(_ request: AttachRequest) async throws(PortableError) -> Plan {
        let request = try expanded(request)
        var attachPlan = try await planAttach(request, reattaching: true)
        let directory = configuration.attachedDirectory(runtime: request.runtime)
        let all = scanner.attachments(in: directory)
        let old = all.filter { $0.matchesExactly(root: attachPlan.image, extensions: request.extensions) }
        guard !old.isEmpty else { throw .imageNotAttached(image: request.image) }
        let vanished = old.filter { !attachPlan.units.contains($0.unit) }
        var removal = PlanBuilder(engine: self)
        removeUnits(vanished, from: directory, into: &removal)
        // Links of the old version's images go unless the new version (or another attachment) uses them.
        let keep =
            all.filter { !old.contains($0) }
            + [
                Attachment(
                    unit: "",
                    images: [attachPlan.image] + request.extensions,
                    hasUnitFile: false,
                    hasProfile: false,
                    foreignDropIns: []
                )
            ]
        unlinkImages(of: old, keeping: keep, runtime: request.runtime, into: &removal)
        // Stale profile drop-ins of kept units whose new plan has none (e.g. profile without socket.conf).
        attachPlan.operations += removal.operations
        attachPlan.removedChanges = removal.changes
        attachPlan.kind = .reattach
        attachPlan.removedUnits = vanished.map(\.unit)
        var actions = attachPlan.serviceActions
        if request.now {
            actions.stopBefore = attachPlan.removedUnits
            actions.restart = actions.start
            actions.start = []
        }
        attachPlan.serviceActions = actions
        attachPlan.changes = removal.changes + attachPlan.changes
        return attachPlan
    }

    /// Replaces the attached version of an image by the given one, atomically.
    package func reattach(_ request: AttachRequest) async throws(PortableError) -> ReattachResult {
        let request = try expanded(request)
        let lock = try await lock(try lockKey(for: request.image))
        defer { withExtendedLifetime(lock) {} }
        let plan = try await planReattach(request)
        let outcome = try await apply(plan)
        let updated = Array(plan.changes.dropFirst(plan.removedChanges.count))
        return ReattachResult(
            removed: plan.removedChanges,
            updated: updated,
            units: plan.units,
            warnings: outcome.warnings,
            skippedEntries: plan.skippedEntries,
            installChanges: outcome.installChanges,
            jobs: outcome.jobs
        )
    }

    /// Detach accepts images that no longer exist: a valid name is used as is, a path must be normalized.
    private func detachTarget(_ image: String) throws(PortableError) -> String {
        if let located = try? locator.locate(image) { return located.path }
        _ = try lockKey(for: image)
        return image
    }

    private func removeUnits(_ attachments: [Attachment], from directory: String, into builder: inout PlanBuilder) {
        for attachment in attachments {
            let unitPath = PortableNames.join(directory, attachment.unit)
            let dropIns = unitPath + ".d"
            if attachment.hasUnitFile {
                builder.append(.remove(path: unitPath), Change(kind: .unlink, path: display(unitPath)))
            }
            if attachment.hasProfile {
                let path = PortableNames.join(dropIns, PortableDropIn.profileFileName)
                builder.append(.remove(path: path), Change(kind: .unlink, path: display(path)))
            }
            let portable = PortableNames.join(dropIns, PortableDropIn.fileName)
            builder.append(.remove(path: portable), Change(kind: .unlink, path: display(portable)))
            // Admins' own drop-ins stay, and so does their directory.
            if attachment.foreignDropIns.isEmpty {
                builder.append(.removeDirectory(path: dropIns), Change(kind: .unlink, path: display(dropIns)))
            }
        }
    }

    /// Removes `/etc|/run/portables/<name>` entries made for the detached images, as portabled does for
    /// every image (quirk Q1): only symlinks pointing at the image or copies (mixed mode) made of it, never
    /// the image itself when it is stored there, and never while a remaining attachment still names it.
    private func unlinkImages(
        of attachments: [Attachment],
        keeping remaining: [Attachment],
        runtime: Bool,
        into builder: inout PlanBuilder
    ) {
        let stillUsed = Set(remaining.flatMap(\.images))
        var seen = Set<String>()
        let directory = configuration.portablesDirectory(runtime: runtime)
        for image in attachments.flatMap(\.images) where seen.insert(image).inserted && !stillUsed.contains(image) {
            let link = PortableNames.join(directory, PortableNames.lastComponent(image))
            guard link != image else { continue }
            guard let status = (try? tree.status(link)) ?? nil else { continue }
            switch status.kind {
            case .symbolicLink:
                let target = try? tree.withParent(of: link) { (fd, name) throws(SystemCallError) in
                    try fd.readLink(name)
                }
                guard target == image else { continue }
                builder.append(.remove(path: link), Change(kind: .unlink, path: display(link)))
            case .directory, .regular:
                guard tree.copiedImageSource(link) == image else { continue }
                builder.append(.removeTree(path: link), Change(kind: .unlink, path: display(link)))
            default:
                continue
            }
        }
    }
}
