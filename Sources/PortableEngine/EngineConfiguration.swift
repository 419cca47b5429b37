/// Where the engine looks and writes. Every path is as seen inside `root` (the host tree).
package struct EngineConfiguration: Sendable {
    /// `/` normally; the `--root` directory for offline trees.
    package var root: String
    /// The scope and the paths derived from it; the path properties below read and write it, so a
    /// test that moves one directory moves it for every reader.
    package var layout: ScopeLayout
    /// Berth's own profile directories, as paths on the machine (not inside `root`): they belong to the
    /// installed Berth, not to the tree being managed.
    package var berthProfileDirectories: [String]
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
        let berth = berthProfileDirectories ?? ProfileCatalog.defaultBerthDirectories()
        self.berthProfileDirectories =
            layout.scope == .user
            ? berth.map { PortableNames.join($0, ScopeLayout.userProfileSubdirectory) } : berth
        rawImageOpener = DiskImageOpener(verityKeyRoot: root)
    }

    /// The scope these paths belong to.
    package var scope: PortableScope { layout.scope }

    /// Portable image search path, first hit wins (systemd's order).
    package var searchPaths: [String] {
        get { layout.searchPaths }
        set { layout.searchPaths = newValue }
    }
    /// Where persistent (`/etc/…`) and runtime (`/run/…`) attachments go.
    package var persistentAttachedDirectory: String {
        get { layout.persistentAttachedDirectory }
        set { layout.persistentAttachedDirectory = newValue }
    }
    package var runtimeAttachedDirectory: String {
        get { layout.runtimeAttachedDirectory }
        set { layout.runtimeAttachedDirectory = newValue }
    }
    /// Where images outside the search path get linked (or copied in mixed mode).
    package var persistentPortablesDirectory: String {
        get { layout.persistentPortablesDirectory }
        set { layout.persistentPortablesDirectory = newValue }
    }
    package var runtimePortablesDirectory: String {
        get { layout.runtimePortablesDirectory }
        set { layout.runtimePortablesDirectory = newValue }
    }
    /// systemd's profile directories (inside the tree), searched before Berth's own.
    package var profileDirectories: [String] {
        get { layout.profileDirectories }
        set { layout.profileDirectories = newValue }
    }
    /// The host's unit search path (inside the tree), for the "unit exists on the host" check.
    package var hostUnitDirectories: [String] {
        get { layout.hostUnitDirectories }
        set { layout.hostUnitDirectories = newValue }
    }
    /// Lock files for per-image serialization (inside the tree).
    package var lockDirectory: String {
        get { layout.lockDirectory }
        set { layout.lockDirectory = newValue }
    }

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
