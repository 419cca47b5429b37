package import CommandLineTool

/// berthctl's one parser: portablectl's options and verbs, its getopt rules (every option anywhere,
/// with any verb: `list --runtime` is accepted and means nothing), its verb table (argument counts) and
/// its error texts, plus Berth's own options (`--root`, `--address`, `--json`, `--key-file`).
///
/// The options and verbs come from `BerthctlCommandLine.tool`, which also gives help, the completion
/// scripts and the man page.
package enum CommandLineParser {
    /// What a command line asks for.
    package enum Request: Equatable, Sendable {
        case run(ParsedCommandLine)
        /// `-h`, `--help`, `help [VERB]`: the tool's help, or the verb's.
        case help(verb: String?)
        /// A completion script or the man page.
        case document(ToolDocument)
        case version
    }

    static let getopt = BerthctlCommandLine.tool.getopt

    /// Parses `arguments` (without the program name).
    package static func parse(_ arguments: [String]) throws(CLIError) -> Request {
        do {
            return try parseRequest(arguments)
        } catch {
            throw CLIError(error.message, hint: error.hint)
        }
    }

    private static func parseRequest(_ arguments: [String]) throws(UsageError) -> Request {
        if let document = try ToolDocument.requested(in: arguments) { return .document(document) }
        var settings = Settings()
        let (operands, stopped) = try getopt.parse(arguments) { (index, value) throws(UsageError) in
            do throws(CLIError) {
                return try settings.apply(Option(rawValue: index)!, value: value)
            } catch {
                throw UsageError(error.message, hint: error.hint)
            }
        }
        // portablectl answers -h and --version as soon as getopt returns them, like --copy=help.
        if settings.help { return .help(verb: operands.first ?? verbNamed(in: arguments)) }
        if settings.version { return .version }
        guard !stopped else { return .run(ParsedCommandLine(global: settings.global, verb: .copyModes)) }
        if operands.first == "help" { return .help(verb: operands.dropFirst().first) }
        do throws(CLIError) {
            let verb = try settings.verb(operands)
            return .run(ParsedCommandLine(global: settings.global, verb: verb))
        } catch {
            throw UsageError(error.message, hint: error.hint)
        }
    }

    /// The verb `--help attach` is about (getopt stopped before it): the first argument that names one.
    private static func verbNamed(in arguments: [String]) -> String? {
        arguments.prefix { $0 != "--" }.first { BerthctlCommandLine.tool.verb($0) != nil }
    }
}
