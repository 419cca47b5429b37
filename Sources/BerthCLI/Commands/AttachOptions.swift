package import ArgumentParser

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

    /// Checks the values as portablectl does before anything is sent.
    package static func validate(profile: String, copy: String) throws(CLIError) -> (profile: String, copyMode: String)
    {
        guard copyModes.contains(copy) else {
            throw CLIError(
                "Unknown --copy= argument: \(copy)",
                hint: "Use one of: \(copyModes.joined(separator: ", "))."
            )
        }
        guard ImageArgument.isValidImageName(profile) else {
            throw CLIError(
                "Invalid profile name '\(profile)'.",
                hint: "A profile is a plain name such as default, nonetwork, strict or trusted ('--profile=help')."
            )
        }
        return (profile, copy)
    }
}
