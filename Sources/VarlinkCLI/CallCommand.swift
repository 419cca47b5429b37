import SystemCalls
import VarlinkIDL
import VarlinkJSON

/// `varlink call ADDRESS METHOD [PARAMETERS]`: one method call, streamed or not.
struct CallCommand: VarlinkCommand {
    var address: String
    var method: String
    var parameters: String?
    var settings: VarlinkSettings

    init(_ settings: VarlinkSettings) {
        address = settings.operands[0]
        method = settings.operands[1]
        parameters = settings.operands.count > 2 ? settings.operands[2] : nil
        self.settings = settings
    }

    private var output: OutputOptions { settings.output }
    private var more: Bool { settings.more }
    private var moreForever: Bool { settings.moreForever }
    private var collect: Bool { settings.collect }
    private var oneway: Bool { settings.oneway }
    private var graceful: [String] { settings.graceful }
    private var noValidate: Bool { settings.noValidate }

    func run() async throws {
        let method = try MethodName(parsing: method)
        let arguments = try readParameters()
        let terminal = output.makeTerminal()
        let format = output.format(on: terminal)
        let timeout = moreForever ? ReplyTimeout.infinite : settings.timeout

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
