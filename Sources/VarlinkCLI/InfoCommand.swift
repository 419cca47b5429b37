import ArgumentParser
import VarlinkJSON

/// `varlink info ADDRESS`: the service's vendor, product, version, URL and interfaces.
struct InfoCommand: ServiceQuery {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Show the service's vendor, product, version, URL and interfaces.",
        discussion: """
            Calls org.varlink.service.GetInfo. With --json the reply is printed as JSON.

            Example:
              varlink info unix:/run/berth/io.berth.Portable
            """
    )

    @OptionGroup var options: ServiceArguments

    func query(_ service: ServiceConnection, on terminal: Terminal) async throws {
        let reply = try await service.getInfo()
        if output.wantsJSON {
            emitJSON(.object(reply), on: terminal)
        } else {
            terminal.emit(ServiceInfo(reply: reply).table(on: terminal), paged: true)
        }
    }
}
