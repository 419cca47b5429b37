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

    /// The image set with the positional image and prefixes.
    func selection(image: String, prefixes: [String] = []) -> ImageSelection {
        ImageSelection(image: image, prefixes: prefixes, extensions: extensions, force: force)
    }
}
