package import CommandLineTool

/// varlink's one parser: getopt over `VarlinkCommandLine.tool` (options anywhere, before or after the
/// verb, as varlinkctl takes them), then the verb's argument count and the checks of option values.
package enum VarlinkCommandLineParser {
    /// What a command line asks for.
    package enum Request: Sendable {
        case run(verb: String, settings: VarlinkSettings)
        /// `-h`, `--help`, `help [VERB]`: the tool's help, or the verb's.
        case help(verb: String?)
        /// A completion script or the man page (also the hidden verb `generate-manual`).
        case document(ToolDocument)
        case version
    }

    /// A command line that cannot be run: the message, and the verb whose usage to show with it.
    package struct Failure: Error, Sendable {
        package var message: String
        package var verb: String?
    }

    static let getopt = VarlinkCommandLine.tool.getopt

    /// Parses `arguments` (without the program name).
    package static func parse(_ arguments: [String]) throws(Failure) -> Request {
        let document: ToolDocument?
        do { document = try ToolDocument.requested(in: arguments) } catch { throw Failure(message: error.message) }
        if let document { return .document(document) }
        var settings = VarlinkSettings()
        var given: Set<String> = []
        let parsed: (operands: [String], stopped: Bool)
        do {
            parsed = try getopt.parse(arguments) { (index, value) throws(UsageError) in
                let option = VarlinkCommandLine.Option(rawValue: index)!
                given.insert(option.spec.long)
                return try settings.apply(option, value: value)
            }
        } catch {
            throw Failure(message: error.message, verb: verbNamed(in: arguments))
        }
        if settings.help { return .help(verb: parsed.operands.first ?? verbNamed(in: arguments)) }
        if settings.version { return .version }
        var operands = parsed.operands
        guard let verbName = operands.first else { return .help(verb: nil) }
        operands.removeFirst()
        if verbName == "help" { return .help(verb: operands.first) }
        if verbName == "generate-manual" { return .document(.manual) }
        guard let verb = VarlinkCommandLine.tool.verb(verbName) else {
            throw Failure(message: "Unknown command verb '\(verbName)'.")
        }
        do throws(UsageError) {
            for name in given.sorted() where !verb.options.contains(name) && !["help", "version"].contains(name) {
                let spelling = VarlinkCommandLine.tool.option(name)?.spellings.last ?? name
                throw UsageError("Unknown option '\(spelling)'")
            }
            try settings.take(operands, for: verb)
            try settings.validate()
        } catch {
            throw Failure(message: error.message, verb: verb.name)
        }
        return .run(verb: verb.name, settings: settings)
    }

    /// The verb `--help` or a mistake is about: the first argument that names one.
    private static func verbNamed(in arguments: [String]) -> String? {
        arguments.prefix { $0 != "--" }.first { VarlinkCommandLine.tool.verb($0) != nil }
    }

    /// The lines a usage error prints: what is wrong, the usage of the verb (or the tool) and where help is.
    package static func report(_ failure: Failure) -> String {
        let tool = VarlinkCommandLine.tool
        if let name = failure.verb, let verb = tool.verb(name) {
            return "Error: \(failure.message)\nUsage: \(tool.usage(of: verb))\n"
                + "  See 'varlink \(name) --help' for more details.\n"
        }
        return "Error: \(failure.message)\nUsage: varlink <subcommand>\n  See 'varlink --help' for more details.\n"
    }
}
