import SystemCalls

/// Accumulates a plan's operations and the changes they will report, looking at the current host state
/// so the plan contains exactly what has to happen (no mkdir of existing directories, no relinking).
struct PlanBuilder {
    let engine: PortableEngine
    private(set) var operations: [FileOperation] = []
    private(set) var changes: [Change] = []
    private var plannedDirectories = Set<String>()

    init(engine: PortableEngine) {
        self.engine = engine
    }

    private var tree: HostTree { engine.tree }

    private func exists(_ path: String) -> Bool {
        ((try? tree.status(path)) ?? nil) != nil
    }

    /// Plans `mkdir -p`; only the directory itself is reported, as portabled does.
    mutating func makeDirectory(_ path: String, report: Bool = true) {
        guard !plannedDirectories.contains(path), !exists(path) else { return }
        let parent = PortableNames.parent(path)
        if parent != path && parent != "/" { makeDirectory(parent, report: false) }
        plannedDirectories.insert(path)
        operations.append(.makeDirectory(path: path))
        if report { changes.append(Change(kind: .mkdir, path: engine.display(path))) }
    }

    mutating func write(_ path: String, _ contents: [UInt8]) {
        operations.append(.writeFile(path: path, contents: contents, mode: 0o644))
        changes.append(Change(kind: .write, path: engine.display(path)))
    }

    mutating func append(_ operation: FileOperation, _ change: Change?) {
        operations.append(operation)
        if let change { changes.append(change) }
    }

    /// `10-profile.conf`: a symlink to the profile, or a copy (copy mode `copy`, or a profile that lives
    /// outside an offline tree, which a symlink could not reach once the tree boots).
    mutating func profile(_ name: String, unit: String, at path: String, copy: Bool) throws(PortableError) {
        guard let source = try engine.profileCatalog.resolve(profile: name, unitType: PortableNames.unitType(unit))
        else { return }
        let shownSource = source.insideTree ? engine.display(source.path) : source.path
        if copy || (!source.insideTree && tree.isOffline) {
            operations.append(.writeFile(path: path, contents: source.contents, mode: 0o644))
            changes.append(Change(kind: .copy, path: engine.display(path), source: shownSource))
        } else {
            operations.append(.symlink(path: path, target: source.path))
            changes.append(Change(kind: .symlink, path: engine.display(path), source: shownSource))
        }
    }

    /// Links (mixed mode: copies) an image into the portables directory, as portabled does for every
    /// image, also one found by name in a search directory: its upstream check for "already in the
    /// search path" never matches (quirk Q1). Only an image stored in that very directory is left alone,
    /// where portabled's link attempt fails harmlessly. Reattaching replaces the entry made for the same
    /// image, link or copy, by what this call's copy mode makes, as portabled's detach (which removes
    /// it) then attach does; a link to the same kind of entry is renewed atomically.
    mutating func linkImage(_ image: ImageRoot, runtime: Bool, mode: CopyMode, force: Bool, reattaching: Bool) {
        let directory = engine.configuration.portablesDirectory(runtime: runtime)
        let link = PortableNames.join(directory, PortableNames.lastComponent(image.path))
        guard link != image.path else { return }
        let copiesTree = mode == .mixed && image.kind.isTree
        if let existing = (try? tree.status(link)) ?? nil {
            let madeForImage: Bool
            switch existing.kind {
            case .symbolicLink:
                let target = try? tree.withParent(of: link) { (fd, name) throws(SystemCallError) in
                    try fd.readLink(name)
                }
                madeForImage = target == image.path
                guard (reattaching && madeForImage) || (force && !madeForImage) else { return }
            case .directory, .regular:
                madeForImage = tree.copiedImageSource(link) == image.path
                guard reattaching && madeForImage else { return }
            default:
                return
            }
            // A rename cannot put a link over a directory, nor a directory over a link.
            if existing.kind == .directory || (copiesTree && existing.kind == .symbolicLink) {
                operations.append(.removeTree(path: link))
            }
        }
        makeDirectory(directory, report: false)
        // Mixed mode copies directory trees and raw image files; block devices can only be linked.
        if mode == .mixed && image.kind != .block {
            operations.append(.copyTree(path: link, source: image.path))
            changes.append(Change(kind: .copy, path: engine.display(link), source: engine.display(image.path)))
        } else {
            operations.append(.symlink(path: link, target: image.path))
            changes.append(Change(kind: .symlink, path: engine.display(link), source: image.path))
        }
    }
}
