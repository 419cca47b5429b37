package import ArgumentParser

extension Berthctl {
    /// `is-attached IMAGE`: prints the attachment state.
    package struct IsAttached: SettingsCommand {
        package static let configuration = CommandConfiguration(
            commandName: "is-attached",
            abstract: "Query if the portable service image is attached.",
            discussion: """
                Prints detached, attached, attached-runtime, enabled, enabled-runtime, running or \
                running-runtime and exits 0, as portablectl does. With -q nothing is printed and the exit \
                status says it: 0 attached in any form, 1 detached. An image that does not exist is an error.

                Examples:
                  berthctl is-attached foo
                  berthctl is-attached -q /var/lib/portables/foo_1.raw && echo attached
                """
        )

        @OptionGroup package var global: GlobalOptions
        @OptionGroup package var images: ExtensionOptions

        @Argument(help: ArgumentHelp("Image name or path.", valueName: "image"))
        package var image: String

        package init() {}

        package var parsedCommandLine: ParsedCommandLine {
            ParsedCommandLine(global: global.settings, verb: .isAttached(images.selection(image: image)))
        }
    }
}
