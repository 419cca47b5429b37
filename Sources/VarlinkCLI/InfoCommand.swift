import ArgumentParser
import VarlinkJSON

/// `varlink info ADDRESS`: the service's vendor, product, version, URL and interfaces.
struct InfoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Show the service's vendor, product, version, URL and interfaces.",
        discussion: """
            Calls org.varlink.service.GetInfo. With --json the reply is printed as JSON.

            Example:
              varlink info unix:/run/berth/io.berth.Portable
            """
    )

    @Argument(help: "The service address (see 'varlink --help').")
    var address: String

    @OptionGroup var output: OutputOptions
    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let terminal = output.makeTerminal()
        let service = try await ServiceConnection.open(address, timeout: connection.timeout)
        defer { service.close() }
        let reply = try await service.getInfo()
        if output.wantsJSON {
            terminal.emit(JSONText.render(.object(reply), output.format(on: terminal), on: terminal), paged: true)
        } else {
            terminal.emit(ServiceInfo(reply: reply).table(on: terminal), paged: true)
        }
    }
}
