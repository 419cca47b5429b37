package import ArgumentParser
import VarlinkJSON

extension Berthctl {
    /// `reattach IMAGE [PREFIX...]`: replaces an attached version by another, atomically.
    package struct Reattach: AsyncParsableCommand {
        package static let configuration = CommandConfiguration(
            abstract: "Reattach the specified portable service image.",
            discussion: """
                Detaches the units of the attached image with the same base name (foo_1 for foo_2) and \
                attaches the new one in one step: afterwards either the old or the new version is attached.

                Examples:
                  berthctl reattach /var/lib/portables/foo_2.raw
                  berthctl reattach --now --enable foo_2
                """
        )

        @OptionGroup package var global: GlobalOptions
        @OptionGroup package var arguments: AttachArguments

        package init() {}

        package func run() async throws {
            if try await arguments.handledHelpValues(global: global) { return }
            let request = try arguments.request(global: global)
            let backend = try global.makeBackend()
            let result = try await failing("Failed to reattach image '\(arguments.image)'") {
                try await backend.reattach(request)
            }
            if global.json != .off {
                JSONOutput.print(
                    .object([
                        "removed": .array(result.removed.map(\.json)),
                        "updated": .array(result.updated.map(\.json)),
                    ]),
                    mode: global.json
                )
            } else if !global.quiet {
                Terminal.err(ChangePrinter.lines(for: result.removed) + ChangePrinter.lines(for: result.updated))
            }
            Terminal.warn(result.warnings, quiet: global.quiet)
        }
    }
}
