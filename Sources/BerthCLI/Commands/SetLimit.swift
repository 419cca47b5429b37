package import ArgumentParser

extension Berthctl {
    /// `set-limit [IMAGE] BYTES`: a disk quota for one image or the whole pool.
    package struct SetLimit: SettingsCommand {
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

        package var parsedCommandLine: ParsedCommandLine {
            ParsedCommandLine(global: global.settings, verb: .setLimit(arguments))
        }
    }
}
