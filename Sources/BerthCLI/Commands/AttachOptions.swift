package import ArgumentParser
import PortableEngine

/// `--profile=` and `--copy=` of attach and reattach.
package struct AttachOptions: ParsableArguments {
    @Option(
        name: [.short, .long],
        help: ArgumentHelp("Security profile for the units ('help' lists them).", valueName: "PROFILE")
    )
    package var profile: String = "default"

    @Option(name: .long, help: ArgumentHelp("How to put files in place ('help' lists the modes).", valueName: "MODE"))
    package var copy: String = "auto"

    package init() {}

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
    package static func validate(profile: String) throws(CLIError) {
        guard profile == "help" || PortableNames.isValidFileName(profile) else {
            throw CLIError(
                "Profile name '\(profile)' is not valid.",
                hint: "A profile is a plain name such as default, nonetwork, strict or trusted ('--profile=help')."
            )
        }
    }
}
