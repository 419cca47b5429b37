package import ArgumentParser
import VarlinkJSON

extension Berthctl {
    /// `inspect IMAGE [PREFIX...]`: the image's os-release and matching unit files.
    package struct Inspect: AsyncParsableCommand {
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

        package func run() async throws {
            let quiet = global.quiet || global.json != .off
            let path = try ImageArgument.resolve(image, root: global.root, mustExist: true)
            // No prefixes: let the engine derive them, so it can fall back to the image's PORTABLE_PREFIXES=
            // when the name-derived prefix matches nothing. "-" is passed on as "every unit".
            let matches: [String]
            if prefixes.isEmpty {
                if !quiet, let derived = try? ImageArgument.prefix(of: image) {
                    Terminal.err("(Matching unit files with prefix '\(derived)'.)\n")
                }
                matches = []
            } else {
                _ = try ImageArgument.matches(image: image, prefixes: prefixes, allowAll: true, quiet: quiet)
                matches = prefixes
            }
            let request = CLIInspectRequest(
                image: path,
                extensions: try images.resolvedExtensions(root: global.root, mustExist: true),
                matches: matches,
                force: images.force,
                key: try key.key()
            )
            let backend = try global.makeBackend()
            let metadata = try await failing("Failed to inspect image metadata") { try await backend.inspect(request) }
            if global.json != .off {
                JSONOutput.print(metadata.json, mode: global.json)
            } else {
                Terminal.out(bytes: InspectPrinter.render(metadata, cat: cat))
            }
        }
    }
}
