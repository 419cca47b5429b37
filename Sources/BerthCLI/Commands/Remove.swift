package import ArgumentParser
import BerthClient

extension Berthctl {
    /// `remove IMAGE...`: deletes detached images.
    package struct Remove: AsyncParsableCommand {
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

        package func validate() throws {
            guard !images.isEmpty else { throw ValidationError("Missing image name or path.") }
        }

        package func run() async throws {
            for image in images {
                let path = try ImageArgument.resolve(image, root: global.root, mustExist: true)
                _ = try await failing("Could not remove image '\(image)'") {
                    try await global.settings.withAPI(recovering: true) {
                        try await $0.removeImage(Portable.RemoveImageParameters(image: path))
                    }
                }
            }
        }
    }
}
