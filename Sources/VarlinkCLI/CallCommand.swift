import ArgumentParser
import SystemCalls
import VarlinkIDL
import VarlinkJSON

/// `varlink call ADDRESS METHOD [PARAMETERS]`: one method call, streamed or not.
struct CallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "call",
        abstract: "Call a method and print its reply.",
        discussion: """
            PARAMETERS is a JSON object. When it is '-', or omitted while standard input is not a terminal, it \
            is read from standard input; empty input means {}. Before sending, the parameters are checked \
            against the interface the service describes (org.varlink.service.GetInterfaceDescription); \
            --no-validate skips that.

            A Varlink error reply prints 'Method call … failed: ERROR' on standard error and the error's \
            parameters as JSON on standard output; the exit status tells the class of failure (see \
            'varlink --help'). --graceful=ERROR makes that error a success (exit 0).

            Examples:
              varlink call /run/foo org.example.Ping '{"ping":"hi"}'
              varlink call --more --json=short /run/foo org.example.Monitor '{}'
              varlink call --collect /run/foo org.example.List
              varlink call --oneway /run/foo org.example.Log '{"message":"x"}'
              varlink call --graceful=org.example.NotFound /run/foo \\
                  org.example.Get '{"id":1}'
            """
    )

    @Argument(help: "The service address.")
    var address: String

    @Argument(help: "The fully qualified method name, e.g. org.varlink.service.GetInfo.")
    var method: String

    @Argument(help: "Parameters as a JSON object, or '-' to read them from standard input.")
    var parameters: String?

    @Flag(name: .long, help: "Ask for a stream of replies ('more' flag); print each as it arrives.")
    var more = false

    @Flag(name: .customShort("E"), help: "Same as --more --timeout=infinity.")
    var moreForever = false

    @Flag(name: .long, help: "Ask for a stream of replies and print them together as one JSON array.")
    var collect = false

    @Flag(name: .long, help: "Send the call with the 'oneway' flag: no reply is expected or printed.")
    var oneway = false

    @Option(
        name: .long,
        help: ArgumentHelp("Treat this Varlink error as success (repeatable).", valueName: "ERROR")
    )
    var graceful: [String] = []

    @Flag(name: .long, help: "Do not check the parameters against the interface before sending.")
    var noValidate = false

    @OptionGroup var output: OutputOptions
    @OptionGroup var connection: ConnectionOptions

    func validate() throws {
        let modes = [more || moreForever, collect, oneway].filter { $0 }.count
        if modes > 1 { throw ValidationError("Only one of --more/-E, --collect and --oneway may be given.") }
        for name in graceful where !MethodName.isValidErrorName(name) {
            throw ValidationError("Invalid error name '\(name)' for --graceful: expected INTERFACE.ErrorName.")
        }
    }

    func run() async throws {
        let method = try MethodName(parsing: method)
        let arguments = try readParameters()
        let terminal = output.makeTerminal()
        let format = output.format(on: terminal)
        let timeout = moreForever ? ReplyTimeout.infinite : connection.timeout

        let service = try await ServiceConnection.open(address, timeout: timeout)
        defer { service.close() }
        var declaration: IDLMethod?
        if !noValidate {
            declaration = try await InterfaceCheck(service: service)
                .check(method, arguments, streaming: more || moreForever || collect)
        }
        // Interop: send a parameters object whenever the method has inputs (Go and Rust servers need
        // it), omit it for `()` methods (the python certification server compares calls exactly).
        let hasInputs = declaration.map { !$0.input.fields.isEmpty } ?? false
        let parameters: JSONObject? = arguments.isEmpty && !hasInputs ? nil : arguments
        // --quiet: only the exit status (and error lines) tell the outcome, as in varlinkctl.
        let printsReplies = !output.quiet
        do {
            if oneway {
                try await service.oneway(method, parameters)
            } else if more || moreForever {
                try await service.stream(method, parameters) { reply in
                    if printsReplies {
                        Terminal.writeStandardOutput(JSONText.render(.object(reply), format, on: terminal))
                    }
                }
            } else if collect {
                var replies: [JSONValue] = []
                try await service.stream(method, parameters) { replies.append(.object($0)) }
                if printsReplies { terminal.emit(JSONText.render(.array(replies), format, on: terminal), paged: true) }
            } else {
                let reply = try await service.call(method, parameters)
                if printsReplies { terminal.emit(JSONText.render(.object(reply), format, on: terminal), paged: true) }
            }
        } catch let failure as RemoteFailure {
            try report(failure, of: method, format: format, terminal: terminal)
        }
    }

    /// Prints a Varlink error reply and ends with its exit status, or with success when `--graceful`.
    private func report(
        _ failure: RemoteFailure,
        of method: MethodName,
        format: JSONFormat,
        terminal: Terminal
    ) throws(ToolError) {
        if !output.quiet {
            Terminal.writeStandardOutput(JSONText.render(.object(failure.parameters), format, on: terminal))
        }
        if graceful.contains(failure.name) {
            if !output.quiet {
                Terminal.writeStandardError("Method call \(method)() failed gracefully: \(failure.name)\n")
            }
            return
        }
        throw ToolError("Method call \(method)() failed: \(failure.summary)", status: failure.status)
    }

    private func readParameters() throws(ToolError) -> JSONObject {
        if let parameters, parameters != "-" {
            return try JSONText.parameters(from: parameters, origin: "(argument)")
        }
        // Omitted while stdin is a terminal means "no parameters", so a bare call never seems to hang.
        if parameters == nil && FileDescriptor.standardInput.isTerminal { return JSONObject() }
        guard let text = Terminal.readStandardInput() else {
            throw ToolError("Invalid JSON parameters (standard input): not UTF-8 text", status: .invalidParameters)
        }
        return try JSONText.parameters(from: text, origin: "(standard input)")
    }
}
