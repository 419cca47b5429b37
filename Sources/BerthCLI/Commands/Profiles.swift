package import ArgumentParser

extension Berthctl {
    /// `profiles`: the security profiles attach can use.
    package struct Profiles: SettingsCommand {
        package static let configuration = CommandConfiguration(
            abstract: "List the available security profiles.",
            discussion: """
                Examples:
                  berthctl profiles
                  berthctl attach --profile=help foo
                """
        )

        @OptionGroup package var global: GlobalOptions

        package init() {}

        package var parsedCommandLine: ParsedCommandLine {
            ParsedCommandLine(global: global.settings, verb: .profiles)
        }
    }
}
