import ArgumentParser
import VarlinkIDL
import VarlinkJSON

/// `varlink list-methods ADDRESS [INTERFACE…]`: fully qualified method names.
struct ListMethodsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list-methods",
        abstract: "List the methods of one, several or all interfaces of a service.",
        discussion: """
            Prints INTERFACE.Method per line (JSON array with --json). Without INTERFACE, every interface the \
            service implements is listed. Interfaces whose description cannot be parsed are reported and skipped.

            Example:
              varlink list-methods /run/berth/io.berth.Portable io.berth.Portable
            """
    )

    @Argument(help: "The service address.")
    var address: String

    @Argument(help: "Interfaces to list (default: all).")
    var interfaces: [String] = []

    @OptionGroup var output: OutputOptions
    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let terminal = output.makeTerminal()
        let service = try await ServiceConnection.open(address, timeout: connection.timeout)
        defer { service.close() }
        var names = interfaces
        if names.isEmpty { names = ServiceInfo(reply: try await service.getInfo()).interfaces }

        var methods: [String] = []
        var unparsable = false
        for name in names {
            let text = try await service.interfaceDescription(name)
            do {
                let interface = try InterfaceText.parse(text, fileName: name)
                methods += interface.methods.map { "\(interface.name).\($0.name)" }
            } catch {
                Terminal.warn("cannot parse the description of interface '\(name)': \(error.summary)")
                unparsable = true
            }
        }
        if output.wantsJSON {
            let value = JSONValue.array(methods.map { .string($0) })
            terminal.emit(JSONText.render(value, output.format(on: terminal), on: terminal), paged: true)
        } else {
            terminal.emit(methods.map { $0 + "\n" }.joined(), paged: true)
        }
        if unparsable { throw ToolError("some interface descriptions could not be parsed", status: .remoteError) }
    }
}
