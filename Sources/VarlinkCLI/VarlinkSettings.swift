import CommandLineTool

/// What varlink's options and a verb's arguments set, as the commands read them.
package struct VarlinkSettings: Sendable {
    var output = OutputOptions()
    var timeout = ReplyTimeout.standard
    var more = false
    var moreForever = false
    var collect = false
    var oneway = false
    var graceful: [String] = []
    var noValidate = false
    var help = false
    var version = false
    /// The verb's arguments after the verb itself.
    package internal(set) var operands: [String] = []

    /// Takes one option from getopt; false stops parsing (`--help` answers at once).
    mutating func apply(_ option: VarlinkCommandLine.Option, value: String?) throws(UsageError) -> Bool {
        switch option {
        case .more: more = true
        case .moreForever: moreForever = true
        case .collect: collect = true
        case .oneway: oneway = true
        case .graceful:
            let name = value ?? ""
            guard MethodName.isValidErrorName(name) else {
                throw UsageError("Invalid error name '\(name)' for --graceful: expected INTERFACE.ErrorName.")
            }
            graceful.append(name)
        case .noValidate: noValidate = true
        case .json:
            guard let format = value.flatMap(JSONFormat.init(rawValue:)) else {
                throw UsageError(
                    "The value '\(value ?? "")' is invalid for '--json <short|pretty>'. "
                        + "Please provide one of 'short' and 'pretty'."
                )
            }
            output.json = format
        case .jsonAuto: output.jsonAuto = true
        case .noPager: output.noPager = true
        case .quiet: output.quiet = true
        case .timeout:
            guard let parsed = value.flatMap(ReplyTimeout.init(argument:)) else {
                throw UsageError("The value '\(value ?? "")' is invalid for '--timeout <SECS|infinity>'")
            }
            timeout = parsed
        case .version: version = true
        case .help:
            help = true
            return false
        }
        return true
    }

    /// The verb's arguments, counted against its table entry.
    mutating func take(_ arguments: [String], for verb: CommandLineVerb) throws(UsageError) {
        let required = verb.arguments.filter { !$0.optional }
        if arguments.count < required.count {
            throw UsageError("Missing expected argument '<\(required[arguments.count].name)>'")
        }
        if verb.arguments.last?.repeats != true, arguments.count > verb.arguments.count {
            throw UsageError("Unexpected argument '\(arguments[verb.arguments.count])'")
        }
        operands = arguments
    }

    /// Options that contradict each other.
    func validate() throws(UsageError) {
        let modes = [more || moreForever, collect, oneway].filter { $0 }.count
        if modes > 1 { throw UsageError("Only one of --more/-E, --collect and --oneway may be given.") }
    }
}
