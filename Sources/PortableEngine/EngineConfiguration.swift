/// Where the engine looks and writes. Every path is as seen inside `root` (the host tree).
package struct EngineConfiguration: Sendable {
    /// `/` normally; the `--root` directory for offline trees.
    package var root: String
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

    package init(root: String = "/", berthProfileDirectories: [String]? = nil) {
        self.root = root
        searchPaths = [
            "/etc/portables", "/run/portables", "/var/lib/portables", "/usr/local/lib/portables", "/usr/lib/portables",
        ]
        persistentAttachedDirectory = "/etc/systemd/system.attached"
        runtimeAttachedDirectory = "/run/systemd/system.attached"
        persistentPortablesDirectory = "/etc/portables"
        runtimePortablesDirectory = "/run/portables"
        profileDirectories = [
            "/etc/systemd/portable/profile", "/run/systemd/portable/profile",
            "/usr/local/lib/systemd/portable/profile", "/usr/lib/systemd/portable/profile",
        ]
        self.berthProfileDirectories = berthProfileDirectories ?? ProfileCatalog.defaultBerthDirectories()
        hostUnitDirectories = [
            "/etc/systemd/system.control", "/run/systemd/system.control", "/run/systemd/transient",
            "/run/systemd/generator.early", "/etc/systemd/system", "/etc/systemd/system.attached",
            "/run/systemd/system", "/run/systemd/system.attached", "/run/systemd/generator",
            "/usr/local/lib/systemd/system", "/usr/lib/systemd/system", "/lib/systemd/system",
            "/run/systemd/generator.late",
        ]
        lockDirectory = "/run/berth/locks"
        rawImageOpener = DiskImageOpener(verityKeyRoot: root)
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
