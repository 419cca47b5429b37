import VarlinkJSON

/// A command that opens one connection to a service, asks it something and prints the answer
/// (`info`, `list-interfaces`, `list-methods`, `introspect`): the connection's lifetime and the
/// two output forms live here once.
protocol ServiceQuery: VarlinkCommand {
    var options: ServiceArguments { get }

    /// The command's calls and output, on a connection that is closed afterwards.
    func query(_ service: ServiceConnection, on terminal: Terminal) async throws
}

/// The arguments every query starts with: the address, then the output and connection options.
struct ServiceArguments: Sendable {
    var address: String
    var output: OutputOptions
    var timeout: ReplyTimeout

    init(_ settings: VarlinkSettings) {
        address = settings.operands[0]
        output = settings.output
        timeout = settings.timeout
    }
}

extension ServiceQuery {
    var output: OutputOptions { options.output }

    func run() async throws {
        let terminal = output.makeTerminal()
        let connection = try await ServiceConnection.open(options.address, timeout: options.timeout)
        defer { connection.close() }
        try await query(connection, on: terminal)
    }

    /// The interfaces the service implements, in its order (from `GetInfo`).
    func implementedInterfaces(of service: ServiceConnection) async throws -> [String] {
        ServiceInfo(reply: try await service.getInfo()).interfaces
    }

    /// `value` as JSON in the chosen format, through the pager.
    func emitJSON(_ value: JSONValue, on terminal: Terminal) {
        terminal.emit(JSONText.render(value, output.format(on: terminal), on: terminal), paged: true)
    }

    /// One name per line, or a JSON array of them with `--json`.
    func emitNames(_ names: [String], on terminal: Terminal) {
        if output.wantsJSON {
            emitJSON(.array(names.map { .string($0) }), on: terminal)
        } else {
            terminal.emit(names.map { $0 + "\n" }.joined(), paged: true)
        }
    }
}
