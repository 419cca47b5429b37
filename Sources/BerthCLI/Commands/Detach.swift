package import ArgumentParser

extension Berthctl {
    /// `detach IMAGE [PREFIX...]`: removes what an attach of this image wrote, and nothing else.
    package struct Detach: SettingsCommand {
        package static let configuration = CommandConfiguration(
            abstract: "Detach the specified portable service image.",
            discussion: """
                Only unit files whose drop-in marker names this image (and the same extensions) are removed. \
                PREFIX only selects the units --now/--enable stop and disable first.

                Examples:
                  berthctl detach foo
                  berthctl detach --now --enable --runtime /var/lib/portables/foo_1.raw
                """
        )

        @OptionGroup package var global: GlobalOptions
        @OptionGroup package var images: ExtensionOptions
        @OptionGroup package var manager: ServiceManagerOptions

        @Argument(help: ArgumentHelp("Image name or path.", valueName: "image"))
        package var image: String

        @Argument(help: ArgumentHelp("Unit name prefixes (for --now/--enable).", valueName: "prefix"))
        package var prefixes: [String] = []

        package init() {}

        package var parsedCommandLine: ParsedCommandLine {
            let selection = images.selection(image: image, prefixes: prefixes)
            return ParsedCommandLine(global: global.settings, verb: .detach(selection, manager.flags))
        }
    }
}
