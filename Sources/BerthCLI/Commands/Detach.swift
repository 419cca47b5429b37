package import ArgumentParser
import VarlinkJSON

extension Berthctl {
    /// `detach IMAGE [PREFIX...]`: removes what an attach of this image wrote, and nothing else.
    package struct Detach: AsyncParsableCommand {
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

        package func run() async throws {
            let quiet = global.quiet || global.json != .off
            let path = try ImageArgument.resolve(image, root: global.root, mustExist: false)
            var matches: [String] = []
            if manager.now || manager.enable {
                matches = try ImageArgument.matches(image: image, prefixes: prefixes, allowAll: true, quiet: quiet)
            }
            let request = CLIDetachRequest(
                image: path,
                extensions: try images.resolvedExtensions(root: global.root, mustExist: false),
                matches: matches,
                force: images.force,
                flags: manager.flags
            )
            let backend = try global.makeBackend()
            let result = try await failing("Failed to detach image '\(image)'") { try await backend.detach(request) }
            if global.json != .off {
                JSONOutput.print(
                    .object([
                        "units": .array(result.units.map { .string($0) }),
                        "changes": .array(result.changes.map(\.json)),
                        "warnings": .array(result.warnings.map { .string($0) }),
                    ]),
                    mode: global.json
                )
            } else if !global.quiet {
                Terminal.err(ChangePrinter.lines(for: result.changes))
            }
            Terminal.warn(result.warnings, quiet: global.quiet)
        }
    }
}
