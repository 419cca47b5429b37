/// Every host path that depends on the scope, derived in this one place (portabled 260's
/// `lookup_paths_init`, `image_search_path`, `config/runtime_directory_generic` and profile lookup).
/// All paths are as seen inside the host tree.
package struct ScopeLayout: Sendable, Equatable {
    package var scope: PortableScope
    /// Image search path, first hit wins.
    package var searchPaths: [String]
    package var persistentAttachedDirectory: String
    package var runtimeAttachedDirectory: String
    /// Where images outside the search path are linked (or copied in mixed mode).
    package var persistentPortablesDirectory: String
    package var runtimePortablesDirectory: String
    /// systemd's profile directories, first hit wins.
    package var profileDirectories: [String]
    /// The service manager's unit search path, for the "unit exists on the host" check.
    package var hostUnitDirectories: [String]
    /// The image pool (`GetPool`).
    package var poolDirectory: String
    /// Berth's lock files.
    package var lockDirectory: String

    /// The system scope: PID 1's directories.
    package static let system = ScopeLayout(
        scope: .system,
        searchPaths: [
            "/etc/portables", "/run/portables", "/var/lib/portables", "/usr/local/lib/portables", "/usr/lib/portables",
        ],
        persistentAttachedDirectory: "/etc/systemd/system.attached",
        runtimeAttachedDirectory: "/run/systemd/system.attached",
        persistentPortablesDirectory: "/etc/portables",
        runtimePortablesDirectory: "/run/portables",
        profileDirectories: [
            "/etc/systemd/portable/profile", "/run/systemd/portable/profile",
            "/usr/local/lib/systemd/portable/profile", "/usr/lib/systemd/portable/profile",
        ],
        hostUnitDirectories: [
            "/etc/systemd/system.control", "/run/systemd/system.control", "/run/systemd/transient",
            "/run/systemd/generator.early", "/etc/systemd/system", "/etc/systemd/system.attached",
            "/run/systemd/system", "/run/systemd/system.attached", "/run/systemd/generator",
            "/usr/local/lib/systemd/system", "/usr/lib/systemd/system", "/lib/systemd/system",
            "/run/systemd/generator.late",
        ],
        poolDirectory: "/var/lib/portables",
        lockDirectory: "/run/berth/locks"
    )

    /// One user's scope. The unit search path is `systemd-analyze --user unit-paths` of systemd 262
    /// (257 lacks the two `user.attached` entries: its user manager does not load attached units).
    /// As in portabled (quirk Q8), the persistent link directory `~/.config/portables` is not searched.
    package static func user(_ directories: UserDirectories) -> ScopeLayout {
        let config = directories.configHome
        let runtime = directories.runtimeDirectory
        func under(_ base: String, _ path: String) -> String { PortableNames.join(base, path) }
        var units = [
            under(config, "systemd/user.control"), under(runtime, "systemd/user.control"),
            under(runtime, "systemd/transient"), under(runtime, "systemd/generator.early"),
            under(config, "systemd/user"), under(config, "systemd/user.attached"),
        ]
        units += directories.configDirectories.map { under($0, "systemd/user") }
        units += [
            "/etc/systemd/user", under(runtime, "systemd/user"), under(runtime, "systemd/user.attached"),
            "/run/systemd/user", under(runtime, "systemd/generator"), under(directories.dataHome, "systemd/user"),
        ]
        units += directories.dataDirectories.map { under($0, "systemd/user") }
        units += ["/usr/local/lib/systemd/user", "/usr/lib/systemd/user", under(runtime, "systemd/generator.late")]
        return ScopeLayout(
            scope: .user,
            searchPaths: [
                under(runtime, "portables"), under(directories.stateHome, "portables"),
                under(directories.home, ".local/lib/portables"),
            ],
            persistentAttachedDirectory: under(config, "systemd/user.attached"),
            runtimeAttachedDirectory: under(runtime, "systemd/user.attached"),
            persistentPortablesDirectory: under(config, "portables"),
            runtimePortablesDirectory: under(runtime, "portables"),
            profileDirectories: [
                under(config, "systemd/portable/profile"), under(runtime, "systemd/portable/profile"),
                "/etc/systemd/user/portable/profile", "/run/systemd/user/portable/profile",
                "/usr/local/lib/systemd/user/portable/profile", "/usr/lib/systemd/user/portable/profile",
            ],
            hostUnitDirectories: units,
            poolDirectory: under(directories.stateHome, "portables"),
            lockDirectory: under(runtime, "berth/locks")
        )
    }

    /// The unit directories read inside an image: the system search path, or for the user scope the
    /// global user directories (portabled 260 looks there with `RUNTIME_SCOPE_GLOBAL`).
    package var imageUnitDirectories: [String] {
        switch scope {
        case .system: ImageRoot.systemUnitSearchPath
        case .user: Self.globalUserUnitDirectories
        }
    }

    /// `systemd-analyze --global unit-paths`.
    static let globalUserUnitDirectories = [
        "/etc/systemd/user", "/run/systemd/user", "/usr/local/share/systemd/user", "/usr/share/systemd/user",
        "/usr/local/lib/systemd/user", "/usr/lib/systemd/user",
    ]

    /// The subdirectory of Berth's own profile directory holding the user-scope variants (no
    /// `DynamicUser=`, no `ProtectHome=`, as systemd's `profile/user/`).
    package static let userProfileSubdirectory = "user"

    /// The directories whose raw images mountfsd trusts without a signature: every image search path of
    /// the system (machines, portables, sysexts, confexts), as systemd 262's `image_search_path`.
    /// An image counts only as a regular file directly inside one of them.
    package static let trustedRawImageDirectories = [
        "/etc/machines", "/run/machines", "/var/lib/machines", "/var/lib/container", "/usr/local/lib/machines",
        "/usr/lib/machines", "/etc/portables", "/run/portables", "/var/lib/portables", "/usr/local/lib/portables",
        "/usr/lib/portables", "/etc/extensions", "/run/extensions", "/var/lib/extensions",
        "/usr/local/lib/extensions", "/usr/lib/extensions", "/run/confexts", "/var/lib/confexts",
        "/usr/local/lib/confexts", "/usr/lib/confexts",
    ]
}
