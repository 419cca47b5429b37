package import ArgumentParser
import VarlinkJSON

extension Berthctl {
    /// `attach IMAGE [PREFIX...]`: copies or links the image's matching units into the host.
    package struct Attach: AsyncParsableCommand {
        package static let configuration = CommandConfiguration(
            abstract: "Attach the specified portable service image.",
            discussion: """
                Unit files whose names start with PREFIX (default: the image name up to the first '_') \
                are attached with the security profile's drop-in.

                Examples:
                  berthctl attach /var/lib/portables/foo_1.raw
                  berthctl attach --now --runtime foo foo-extra
                  berthctl attach --profile=trusted --copy=copy /srv/foo
                  berthctl attach --extension=/srv/ext1 /srv/base app
                  berthctl --root=/srv/tree attach foo
                """
        )

        @OptionGroup package var global: GlobalOptions
        @OptionGroup package var arguments: AttachArguments

        package init() {}

        package func run() async throws {
            if try await arguments.handledHelpValues(global: global) { return }
            let request = try arguments.request(global: global)
            let backend = try global.makeBackend()
            let result = try await failing("Failed to attach image '\(arguments.image)'") {
                try await backend.attach(request)
            }
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
