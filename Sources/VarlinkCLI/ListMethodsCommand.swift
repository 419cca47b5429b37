import ArgumentParser
import VarlinkIDL

/// `varlink list-methods ADDRESS [INTERFACE…]`: fully qualified method names.
struct ListMethodsCommand: ServiceQuery {
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

    @OptionGroup var options: ServiceArguments

    @Argument(help: "Interfaces to list (default: all).")
    var interfaces: [String] = []

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
