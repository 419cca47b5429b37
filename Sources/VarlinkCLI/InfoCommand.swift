import VarlinkJSON

/// `varlink info ADDRESS`: the service's vendor, product, version, URL and interfaces.
struct InfoCommand: ServiceQuery {
    var options: ServiceArguments

    func query(_ service: ServiceConnection, on terminal: Terminal) async throws {
        let reply = try await service.getInfo()
        if output.wantsJSON {
            emitJSON(.object(reply), on: terminal)
        } else {
            terminal.emit(ServiceInfo(reply: reply).table(on: terminal), paged: true)
        }
    }
}
