package import ArgumentParser
import BerthClient

extension Berthctl {
    /// `set-limit [IMAGE] BYTES`: a disk quota for one image or the whole pool.
    package struct SetLimit: AsyncParsableCommand {
        package static let configuration = CommandConfiguration(
            commandName: "set-limit",
            abstract: "Set the image or pool size limit (disk quota).",
            discussion: """
                BYTES takes K, M, G, T suffixes (base 1024); '-', 'none' or 'infinity' removes the limit. \
                Quotas need the pool on btrfs; elsewhere this reports NotSupported.

                Examples:
                  berthctl set-limit 10G
                  berthctl set-limit foo 512M
                """
        )

        @OptionGroup package var global: GlobalOptions

        @Argument(help: ArgumentHelp("[IMAGE] BYTES", valueName: "arguments"))
        package var arguments: [String]

        package init() {}

        package func validate() throws {
            guard (1...2).contains(arguments.count) else {
                throw ValidationError("Expected [IMAGE] BYTES.")
            }
        }

        package func run() async throws {
            let sizeText = arguments[arguments.count - 1]
            guard let limit = ValueFormatting.parseSize(sizeText) else {
                throw CLIError("Failed to parse size: \(sizeText)", hint: "Give bytes like 512M or 10G, or 'none'.")
            }
            let wireLimit = limit.map { Int(clamping: $0) }
            if arguments.count == 2 {
                let image = try ImageArgument.resolve(arguments[0], root: global.root, mustExist: true)
                let parameters = Portable.SetImageLimitParameters(image: image, limit: wireLimit)
                _ = try await failing("Could not set limit") {
                    try await global.settings.withAPI { try await $0.setImageLimit(parameters) }
                }
            } else {
                _ = try await failing("Could not set limit") {
                    try await global.settings.withAPI {
                        try await $0.setPoolLimit(Portable.SetPoolLimitParameters(limit: wireLimit))
                    }
                }
            }
        }
    }
}
