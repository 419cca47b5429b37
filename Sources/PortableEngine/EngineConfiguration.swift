/// Where the engine looks and writes. Every path is as seen inside `root` (the host tree).
package struct EngineConfiguration: Sendable {
    /// `/` normally; the `--root` directory for offline trees.
    package var root: String
    /// The scope and the paths derived from it (the fields below start as its copies).
    package let layout: ScopeLayout
    /// Portable image search path, first hit wins (systemd's order).
    package var searchPaths: [String]
    /// Where persistent (`/etc/…`) and runtime (`/run/…`) attachments go.
    package var persistentAttachedDirectory: String
    package var runtimeAttachedDirectory: String
    /// Where images outside the search path get linked (or copied in mixed mode).
    package var persistentPortablesDirectory: String
    package var runtimePortablesDirectory: String
    /// systemd's profile directories (inside the tree), searched before Berth's own.
    package var profileDirectories: [String]
    /// Berth's own profile directories, as paths on the machine (not inside `root`): they belong to the
    /// installed Berth, not to the tree being managed.
    package var berthProfileDirectories: [String]
    /// The host's unit search path (inside the tree), for the "unit exists on the host" check.
    package var hostUnitDirectories: [String]
    /// Lock files for per-image serialization (inside the tree).
    package var lockDirectory: String
    /// Opens `.raw` files and block devices (default: the DiskImage module, read-only, verity honoured).
    package var rawImageOpener: any RawImageOpener

    #if DEBUG
    /// Test-only fault injection: called with a step name before every step of `apply`; throwing (or
    /// `_exit`ing) there simulates a crash at that point.
    package var faultHook: (@Sendable (String) throws -> Void)?
    #endif

    /// - Parameters:
    ///   - scope: system (PID 1) or one user's manager; `user` needs that user's directories.
    ///   - user: the user's directories when `scope` is `.user` (default: the process environment's).
    package init(
        root: String = "/",
        scope: PortableScope,
        user: UserDirectories? = nil,
        berthProfileDirectories: [String]? = nil
    ) throws(PortableError) {
        let layout: ScopeLayout
        switch scope {
        case .system: layout = .system
        case .user:
            if let user { layout = .user(user) } else { layout = .user(try UserDirectories.fromProcessEnvironment()) }
        }
        self.init(root: root, layout: layout, berthProfileDirectories: berthProfileDirectories)
    }

    /// The system scope's configuration (never fails).
    package init(root: String = "/", berthProfileDirectories: [String]? = nil) {
        self.init(root: root, layout: .system, berthProfileDirectories: berthProfileDirectories)
    }

    /// Everything from one `ScopeLayout`: no path below depends on the scope any other way.
    package init(root: String, layout: ScopeLayout, berthProfileDirectories: [String]?) {
        self.root = root
        self.layout = layout
        searchPaths = layout.searchPaths
        persistentAttachedDirectory = layout.persistentAttachedDirectory
        runtimeAttachedDirectory = layout.runtimeAttachedDirectory
        persistentPortablesDirectory = layout.persistentPortablesDirectory
        runtimePortablesDirectory = layout.runtimePortablesDirectory
        profileDirectories = layout.profileDirectories
        let berth = berthProfileDirectories ?? ProfileCatalog.defaultBerthDirectories()
        self.berthProfileDirectories =
            layout.scope == .user
            ? berth.map { PortableNames.join($0, ScopeLayout.userProfileSubdirectory) } : berth
        hostUnitDirectories = layout.hostUnitDirectories
        lockDirectory = layout.lockDirectory
        rawImageOpener = DiskImageOpener(verityKeyRoot: root)
    }

    /// The scope these paths belong to.
    package var scope: PortableScope { layout.scope }

    func attachedDirectory(runtime: Bool) -> String {
        runtime ? runtimeAttachedDirectory : persistentAttachedDirectory
    }

    func portablesDirectory(runtime: Bool) -> String {
        runtime ? runtimePortablesDirectory : persistentPortablesDirectory
    }

    func injectFault(_ step: String) throws {
        #if DEBUG
        try faultHook?(step)
        #endif
    }
}
