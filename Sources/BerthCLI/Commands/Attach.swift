package import ArgumentParser

extension Berthctl {
    /// `attach IMAGE [PREFIX...]`: copies or links the image's matching units into the host.
    package struct Attach: SettingsCommand {
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

        package var parsedCommandLine: ParsedCommandLine {
            ParsedCommandLine(global: global.settings, verb: .attach(arguments.settings))
        }
    }
}
