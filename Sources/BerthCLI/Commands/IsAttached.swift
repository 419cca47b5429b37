package import ArgumentParser
import VarlinkJSON

extension Berthctl {
    /// `is-attached IMAGE`: prints the attachment state.
    package struct IsAttached: AsyncParsableCommand {
        package static let configuration = CommandConfiguration(
            commandName: "is-attached",
            abstract: "Query if the portable service image is attached.",
            discussion: """
                Prints detached, attached, attached-runtime, enabled, enabled-runtime, running or \
                running-runtime and exits 0, as portablectl does. With -q nothing is printed and the exit \
                status says it: 0 attached in any form, 1 detached. An image that does not exist is an error.

                Examples:
                  berthctl is-attached foo
                  berthctl is-attached -q /var/lib/portables/foo_1.raw && echo attached
                """
        )

        @OptionGroup package var global: GlobalOptions
        @OptionGroup package var images: ExtensionOptions

        @Argument(help: ArgumentHelp("Image name or path.", valueName: "image"))
        package var image: String

        package init() {}

        package func run() async throws {
            let path = try ImageArgument.resolve(image, root: global.root, mustExist: false)
            let request = CLIStateRequest(
                image: path,
                extensions: try images.resolvedExtensions(root: global.root, mustExist: false),
                force: images.force
            )
            let backend = try global.makeBackend()
            let state = try await failing("Failed to get image state") { try await backend.state(request) }
            if global.json != .off {
                JSONOutput.print(.object(["image": .string(path), "state": .string(state)]), mode: global.json)
            } else if !global.quiet {
                Terminal.out(state + "\n")
            }
            if global.quiet, state == "detached" { throw SilentExit(code: 1) }
        }
    }
}
