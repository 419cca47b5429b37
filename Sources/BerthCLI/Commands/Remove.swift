package import ArgumentParser

extension Berthctl {
    /// `remove IMAGE...`: deletes detached images.
    package struct Remove: SettingsCommand {
        package static let configuration = CommandConfiguration(
            abstract: "Remove portable service images (only detached ones).",
            discussion: """
                Examples:
                  berthctl remove foo_1
                  berthctl remove ./old-image /var/lib/portables/bar.raw
                """
        )

        @OptionGroup package var global: GlobalOptions

        @Argument(help: ArgumentHelp("Image names or paths.", valueName: "image"))
        package var images: [String]

        package init() {}

        package var parsedCommandLine: ParsedCommandLine {
            ParsedCommandLine(global: global.settings, verb: .remove(images))
        }
    }
}
