import ArgumentParser
import VarlinkJSON

/// `varlink list-interfaces ADDRESS`: the interface names the service implements.
struct ListInterfacesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list-interfaces",
        abstract: "List the interfaces the service implements.",
        discussion: """
            One name per line, in the service's order. With --json: a JSON array of names.

            Example:
              varlink list-interfaces /run/systemd/io.systemd.Manager
            """
    )

    @Argument(help: "The service address.")
    var address: String

    @OptionGroup var output: OutputOptions
    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let terminal = output.makeTerminal()
        let service = try await ServiceConnection.open(address, timeout: connection.timeout)
        defer { service.close() }
        let interfaces = ServiceInfo(reply: try await service.getInfo()).interfaces
        if output.wantsJSON {
            let value = JSONValue.array(interfaces.map { .string($0) })
            terminal.emit(JSONText.render(value, output.format(on: terminal), on: terminal), paged: true)
        } else {
            terminal.emit(interfaces.map { $0 + "\n" }.joined(), paged: true)
        }
    }
}
