/// `varlink list-interfaces ADDRESS`: the interface names the service implements.
struct ListInterfacesCommand: ServiceQuery {
    var options: ServiceArguments

    func query(_ service: ServiceConnection, on terminal: Terminal) async throws {
        emitNames(try await implementedInterfaces(of: service), on: terminal)
    }
}
