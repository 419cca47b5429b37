/// berthctl's one parser: portablectl's options and verbs, its getopt rules (every option anywhere,
/// with any verb: `list --runtime` is accepted and means nothing), its verb table (argument counts) and
/// its error texts, plus Berth's own options (`--root`, `--address`, `--json`, `--key-file`).
///
/// Help (`-h`, `--help`, the `help` verb) and completion scripts come from the ArgumentParser command
/// tree, which describes the same verbs and options (a test holds the two to each other).
package enum CommandLineParser {
    /// What a command line asks for.
    package enum Request: Equatable, Sendable {
        case run(ParsedCommandLine)
        /// Help, completions: ArgumentParser's to print.
        case argumentParser
        case version
    }

    /// The options in portablectl's order (getopt lists an ambiguous abbreviation's candidates in it).
    enum Option: Int, CaseIterable {
        case help, version, noPager, noLegend, noAskPassword, host, machine, quiet, profile, copy, runtime
        case noReload, cat, enable, now, noBlock, `extension`, force, clean, user, system
        case root, address, json, keyFile

        var getopt: Getopt.Option {
            switch self {
            case .help: Getopt.Option("help", short: "h")
            case .version: Getopt.Option("version")
            case .noPager: Getopt.Option("no-pager")
            case .noLegend: Getopt.Option("no-legend")
            case .noAskPassword: Getopt.Option("no-ask-password")
            case .host: Getopt.Option("host", short: "H", takesValue: true)
            case .machine: Getopt.Option("machine", short: "M", takesValue: true)
            case .quiet: Getopt.Option("quiet", short: "q")
            case .profile: Getopt.Option("profile", short: "p", takesValue: true)
            case .copy: Getopt.Option("copy", takesValue: true)
            case .runtime: Getopt.Option("runtime")
            case .noReload: Getopt.Option("no-reload")
            case .cat: Getopt.Option("cat")
            case .enable: Getopt.Option("enable")
            case .now: Getopt.Option("now")
            case .noBlock: Getopt.Option("no-block")
            case .extension: Getopt.Option("extension", takesValue: true)
            case .force: Getopt.Option("force")
            case .clean: Getopt.Option("clean")
            case .user: Getopt.Option("user")
            case .system: Getopt.Option("system")
            case .root: Getopt.Option("root", takesValue: true)
            case .address: Getopt.Option("address", takesValue: true)
            case .json: Getopt.Option("json", takesValue: true)
            case .keyFile: Getopt.Option("key-file", takesValue: true)
            }
        }
    }

    static let getopt = Getopt(program: "berthctl", options: Option.allCases.map(\.getopt))

    /// Every spelling of the options that take a value (`--root`, `-p`), for `ArgumentHoisting`.
    package static var spellingsWithValue: Set<String> {
        var spellings: Set<String> = []
        for option in getopt.options where option.takesValue {
            spellings.insert("--" + option.long)
            if let short = option.short { spellings.insert("-" + String(short)) }
        }
        return spellings
    }

    /// Parses `arguments` (without the program name).
    package static func parse(_ arguments: [String]) throws(CLIError) -> Request {
        // ArgumentParser's own options, which it answers before anything else.
        if arguments.contains(where: {
            $0.hasPrefix("--generate-completion-script") || $0 == "--experimental-dump-help"
        }) {
            return .argumentParser
        }
        var settings = Settings()
        let operands = try getopt.parse(arguments) { (index, value) throws(CLIError) in
            try settings.apply(Option(rawValue: index)!, value: value)
        }
        if settings.help { return .argumentParser }
        if settings.version { return .version }
        guard let operands else { return .run(ParsedCommandLine(global: settings.global, verb: .copyModes)) }
        if operands.first == "help" { return .argumentParser }
        return .run(ParsedCommandLine(global: settings.global, verb: try settings.verb(operands)))
    }
}
