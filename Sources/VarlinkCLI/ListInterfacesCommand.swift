import ArgumentParser

/// `varlink list-interfaces ADDRESS`: the interface names the service implements.
struct ListInterfacesCommand: ServiceQuery {
    static let configuration = CommandConfiguration(
        commandName: "list-interfaces",
        abstract: "List the interfaces the service implements.",
        discussion: """
            One name per line, in the service's order. With --json: a JSON array of names.

            Example:
              varlink list-interfaces /run/systemd/io.systemd.Manager
            """
    )

    @OptionGroup var options: ServiceArguments

    func query(_ service: ServiceConnection, on terminal: Terminal) async throws {
        emitNames(try await implementedInterfaces(of: service), on: terminal)
    }
}
