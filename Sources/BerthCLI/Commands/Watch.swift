package import ArgumentParser

extension Berthctl {
    /// `watch [IMAGE…]`: streams what happens to images until interrupted.
    package struct Watch: SettingsCommand {
        package static let configuration = CommandConfiguration(
            abstract: "Watch portable service images for changes.",
            discussion: """
                Prints one line per image as it is now (event "snapshot"), then one line per change until \
                interrupted: added, attached, detached, reattached, removed, read-only, writable, enabled, \
                disabled, running, stopped. Columns: TIME IMAGE EVENT STATE UNITS. Changes made by berthctl, \
                portablectl, by hand in the attached directories, or by PID 1 (systemctl start) all count. \
                With --json=short one JSON object per line. Not a portablectl verb.

                Examples:
                  berthctl watch
                  berthctl watch foo bar --no-legend
                  berthctl watch --json=short | jq .event
                """
        )

        @OptionGroup package var global: GlobalOptions

        @Argument(help: ArgumentHelp("Only these image names (default: every image).", valueName: "image"))
        package var images: [String] = []

        package init() {}

        package var parsedCommandLine: ParsedCommandLine {
            ParsedCommandLine(global: global.settings, verb: .watch(images))
        }
    }
}
