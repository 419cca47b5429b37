package import ArgumentParser
import BerthClient

extension Berthctl {
    /// `read-only IMAGE [BOOL]`: marks an image read-only (default) or writable.
    package struct ReadOnly: AsyncParsableCommand {
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

        package func run() async throws {
            var readOnly = true
            if let value {
                guard let parsed = Self.parseBoolean(value) else {
                    throw CLIError(
                        "Failed to parse boolean argument: \(value)",
                        hint: "Use yes or no (also true/false, on/off, 1/0)."
                    )
                }
                readOnly = parsed
            }
            let path = try ImageArgument.resolve(image, root: global.root, mustExist: true)
            let parameters = Portable.SetImageReadOnlyParameters(image: path, readOnly: readOnly)
            _ = try await failing("Could not mark image read-only") {
                try await global.settings.withAPI { try await $0.setImageReadOnly(parameters) }
            }
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
