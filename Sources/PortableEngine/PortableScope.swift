#if canImport(Glibc)
import Glibc
#endif

/// Which service manager the engine serves: the system's (PID 1) or one user's (`systemd --user`),
/// portabled 260's "runtime scope". It decides every host path (`ScopeLayout`), which unit directories
/// of an image count, which `PORTABLE_SCOPE=` an image must declare and how raw images are trusted.
package enum PortableScope: String, Sendable, CaseIterable, Equatable {
    case system
    case user
}

/// A user's base directories, as systemd's user manager derives them (absolute paths inside the tree).
package struct UserDirectories: Sendable, Equatable {
    /// `$HOME`.
    package var home: String
    /// `$XDG_CONFIG_HOME`, default `~/.config`.
    package var configHome: String
    /// `$XDG_RUNTIME_DIR` (`/run/user/UID`); portabled's user scope cannot work without it.
    package var runtimeDirectory: String
    /// `$XDG_STATE_HOME`, default `~/.local/state` (the user's image pool lives below it).
    package var stateHome: String
    /// `$XDG_DATA_HOME`, default `~/.local/share`.
    package var dataHome: String
    /// `$XDG_CONFIG_DIRS`; empty when unset (systemd then adds nothing).
    package var configDirectories: [String]
    /// `$XDG_DATA_DIRS`, default `/usr/local/share:/usr/share`.
    package var dataDirectories: [String]

    package init(
        home: String,
        runtimeDirectory: String,
        configHome: String? = nil,
        stateHome: String? = nil,
        dataHome: String? = nil,
        configDirectories: [String] = [],
        dataDirectories: [String] = ["/usr/local/share", "/usr/share"]
    ) {
        self.home = home
        self.runtimeDirectory = runtimeDirectory
        self.configHome = configHome ?? PortableNames.join(home, ".config")
        self.stateHome = stateHome ?? PortableNames.join(home, ".local/state")
        self.dataHome = dataHome ?? PortableNames.join(home, ".local/share")
        self.configDirectories = configDirectories
        self.dataDirectories = dataDirectories
    }

    /// The directories from an environment (the user manager's, which berthd inherits). A relative
    /// XDG value is ignored, as the XDG spec says; a missing `HOME` or `XDG_RUNTIME_DIR` is an error.
    package static func from(environment: [String: String]) throws(PortableError) -> UserDirectories {
        func absolute(_ name: String) -> String? {
            guard let value = environment[name], PortableNames.isNormalizedAbsolutePath(value) else { return nil }
            return value
        }
        func list(_ name: String) -> [String]? {
            guard let value = environment[name], !value.isEmpty else { return nil }
            return value.split(separator: ":").map(String.init).filter(PortableNames.isNormalizedAbsolutePath)
        }
        guard let home = absolute("HOME") else {
            throw .invalidArgument(parameter: "scope", reason: "user scope needs $HOME set to an absolute path.")
        }
        guard let runtime = absolute("XDG_RUNTIME_DIR") else {
            throw .invalidArgument(
                parameter: "scope",
                reason: "user scope needs $XDG_RUNTIME_DIR set to an absolute path "
                    + "(is a user session or lingering on?)."
            )
        }
        return UserDirectories(
            home: home,
            runtimeDirectory: runtime,
            configHome: absolute("XDG_CONFIG_HOME"),
            stateHome: absolute("XDG_STATE_HOME"),
            dataHome: absolute("XDG_DATA_HOME"),
            configDirectories: list("XDG_CONFIG_DIRS") ?? [],
            dataDirectories: list("XDG_DATA_DIRS") ?? ["/usr/local/share", "/usr/share"]
        )
    }

    /// The directories of the running process.
    package static func fromProcessEnvironment() throws(PortableError) -> UserDirectories {
        var environment: [String: String] = [:]
        for name in [
            "HOME", "XDG_RUNTIME_DIR", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_DIRS",
            "XDG_DATA_DIRS",
        ] {
            if let value = getenv(name) { environment[name] = String(cString: value) }
        }
        return try from(environment: environment)
    }
}
