package import ArgumentParser

extension Berthctl {
    /// `inspect IMAGE [PREFIX...]`: the image's os-release and matching unit files.
    package struct Inspect: SettingsCommand {
        package static let configuration = CommandConfiguration(
            abstract: "Show details of the specified portable service image.",
            discussion: """
                Examples:
                  berthctl inspect foo
                  berthctl inspect --cat /var/lib/portables/foo_1.raw foo.service
                  berthctl inspect --extension=/srv/ext1 /srv/base -
                """
        )

        @OptionGroup package var global: GlobalOptions
        @OptionGroup package var images: ExtensionOptions
        @OptionGroup package var key: KeyOptions

        @Flag(name: .long, help: "Include the contents of the os-release and unit files.")
        package var cat = false

        @Argument(help: ArgumentHelp("Image name or path.", valueName: "image"))
        package var image: String

        @Argument(help: ArgumentHelp("Unit name prefixes to show ('-' = all).", valueName: "prefix"))
        package var prefixes: [String] = []

        package init() {}

        package var parsedCommandLine: ParsedCommandLine {
            let selection = images.selection(image: image, prefixes: prefixes)
            let verb = ParsedCommandLine.Verb.inspect(selection, keyFile: key.keyFile, cat: cat)
            return ParsedCommandLine(global: global.settings, verb: verb)
        }
    }
}
