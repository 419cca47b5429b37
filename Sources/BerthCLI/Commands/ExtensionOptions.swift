package import ArgumentParser

/// `--extension=` and `--force`: the image set an operation works on.
package struct ExtensionOptions: ParsableArguments {
    @Option(
        name: .customLong("extension"),
        help: ArgumentHelp(
            "Extend the image with an extension image or directory (repeatable, order matters).",
            valueName: "PATH"
        )
    )
    package var extensions: [String] = []

    @Flag(name: .long, help: "Skip the exists/active checks and relax the extension-release name check.")
    package var force = false

    package init() {}

    /// Extensions resolved like images (names as-is, paths absolute).
    package func resolvedExtensions(root: String?, mustExist: Bool) throws(CLIError) -> [String] {
        var resolved: [String] = []
        for argument in extensions {
            resolved.append(try ImageArgument.resolve(argument, root: root, mustExist: mustExist))
        }
        return resolved
    }
}
