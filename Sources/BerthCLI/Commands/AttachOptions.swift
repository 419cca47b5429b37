import PortableEngine

/// `--profile=` and `--copy=` of attach and reattach: their checks and the profile as sent.
package enum AttachOptions {
    package static let copyModes = ["auto", "copy", "symlink", "mixed"]

    /// Checks `--copy=` as portablectl does while it reads its options.
    package static func validate(copy: String) throws(CLIError) {
        guard copyModes.contains(copy) else {
            throw CLIError(
                "Failed to parse --copy= argument: \(copy)",
                hint: "Use one of: \(copyModes.joined(separator: ", "))."
            )
        }
    }

    /// Checks `--profile=` as portablectl does while it reads its options (`help` lists the profiles).
    /// Berth also takes a path to a profile directory or file (`/etc/app/profile`, `./myprofile`).
    package static func validate(profile: String) throws(CLIError) {
        guard profile == "help" || PortableNames.isValidFileName(profile) || isPath(profile) else {
            throw CLIError(
                "Profile name '\(profile)' is not valid.",
                hint: "A profile is a plain name such as default, nonetwork, strict or trusted ('--profile=help'), "
                    + "or the path of a profile directory or file (absolute, or starting with ./)."
            )
        }
    }

    /// A profile path is absolute or starts with `./`: any other name with a `/` (`a/b`, `../etc`) stays
    /// the invalid profile name portablectl refuses.
    static func isPath(_ profile: String) -> Bool {
        (profile.hasPrefix("/") || profile.hasPrefix("./")) && !profile.utf8.contains(0)
    }

    /// The profile as sent: a name as-is, a path absolute (inside `--root`; with -H/-M only an absolute
    /// path, which is on that system).
    static func resolve(profile: String, for global: GlobalSettings) throws(CLIError) -> String {
        guard isPath(profile) else { return profile }
        if global.remote != nil {
            guard profile.hasPrefix("/") else {
                throw CLIError(
                    "Relative profile path '\(profile)' not supported when connecting to remote systems.",
                    hint: "Give the profile's absolute path on that system."
                )
            }
            return profile
        }
        // An absolute path is the service's to check (inside --root, or on berthd's host); a relative one
        // is made absolute here, from the current directory, like an image path.
        if profile.hasPrefix("/") { return profile }
        return try ImageArgument.resolve(profile, root: global.root, mustExist: false)
    }
}
