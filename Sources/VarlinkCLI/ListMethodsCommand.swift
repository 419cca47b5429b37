import VarlinkIDL

/// `varlink list-methods ADDRESS [INTERFACE…]`: fully qualified method names.
struct ListMethodsCommand: ServiceQuery {
    var options: ServiceArguments
    var interfaces: [String]

    init(_ settings: VarlinkSettings) {
        options = ServiceArguments(settings)
        interfaces = Array(settings.operands.dropFirst())
    }

    func query(_ service: ServiceConnection, on terminal: Terminal) async throws {
        let names = interfaces.isEmpty ? try await implementedInterfaces(of: service) : interfaces
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
        emitNames(methods, on: terminal)
        if unparsable { throw ToolError("some interface descriptions could not be parsed", status: .remoteError) }
    }
}
