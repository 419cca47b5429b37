package import ArgumentParser

extension Berthctl {
    /// `read-only IMAGE [BOOL]`: marks an image read-only (default) or writable.
    package struct ReadOnly: SettingsCommand {
        package static let configuration = CommandConfiguration(
            commandName: "read-only",
            abstract: "Mark or unmark the portable service image read-only.",
            discussion: """
                Examples:
                  berthctl read-only foo
                  berthctl read-only foo no
                """
        )

        @OptionGroup package var global: GlobalOptions

        @Argument(help: ArgumentHelp("Image name or path.", valueName: "image"))
        package var image: String

        @Argument(help: ArgumentHelp("yes (default) or no.", valueName: "bool"))
        package var value: String?

        package init() {}

        package var parsedCommandLine: ParsedCommandLine {
            ParsedCommandLine(global: global.settings, verb: .readOnly(image: image, value: value))
        }

        /// systemd's `parse_boolean`.
        package static func parseBoolean(_ text: String) -> Bool? {
            switch text.lowercased() {
            case "1", "yes", "y", "true", "t", "on": return true
            case "0", "no", "n", "false", "f", "off": return false
            default: return nil
            }
        }
    }
}
