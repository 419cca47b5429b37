package import ArgumentParser

extension Berthctl {
    /// `reattach IMAGE [PREFIX...]`: replaces an attached version by another, atomically.
    package struct Reattach: SettingsCommand {
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

        package var parsedCommandLine: ParsedCommandLine {
            ParsedCommandLine(global: global.settings, verb: .reattach(arguments.settings))
        }
    }
}
