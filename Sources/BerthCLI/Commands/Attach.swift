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
        @OptionGroup package var images: ExtensionOptions
        @OptionGroup package var manager: ServiceManagerOptions
        @OptionGroup package var attach: AttachOptions
        @OptionGroup package var key: KeyOptions

        @Argument(help: ArgumentHelp("Image name or path.", valueName: "image"))
        package var image: String

        @Argument(help: ArgumentHelp("Unit name prefixes to attach.", valueName: "prefix"))
        package var prefixes: [String] = []

        package init() {}

        package func run() async throws {
            if try await Self.handledHelpValues(attach, global: global) { return }
            let request = try Self.request(
                image: image,
                prefixes: prefixes,
                global: global,
                images: images,
                manager: manager,
                attach: attach,
                key: key
            )
            let backend = try global.makeBackend()
            let result = try await failing("Failed to attach image '\(image)'") { try await backend.attach(request) }
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

        /// The request attach and reattach send: the image and extensions resolved (inside `--root`), the
        /// prefixes checked, the profile and copy mode validated.
        static func request(
            image: String,
            prefixes: [String],
            global: GlobalOptions,
            images: ExtensionOptions,
            manager: ServiceManagerOptions,
            attach: AttachOptions,
            key: KeyOptions
        ) throws -> CLIAttachRequest {
            let (profile, copyMode) = try attach.validated()
            let quiet = global.quiet || global.json != .off
            return CLIAttachRequest(
                image: try ImageArgument.resolve(image, root: global.root, mustExist: true),
                extensions: try images.resolvedExtensions(root: global.root, mustExist: true),
                matches: try ImageArgument.matches(image: image, prefixes: prefixes, allowAll: false, quiet: quiet),
                profile: profile,
                copyMode: copyMode,
                force: images.force,
                flags: manager.flags,
                key: try key.key()
            )
        }

        /// `--copy=help` and `--profile=help` print the choices instead of attaching.
        static func handledHelpValues(_ options: AttachOptions, global: GlobalOptions) async throws -> Bool {
            if options.copy == "help" {
                Terminal.out(AttachOptions.copyModes.joined(separator: "\n") + "\n")
                return true
            }
            if options.profile == "help" {
                try await Profiles.show(global: global)
                return true
            }
            return false
        }
    }
}
