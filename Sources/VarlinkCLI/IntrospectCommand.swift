import VarlinkIDL
import VarlinkJSON

/// `varlink introspect ADDRESS [NAME…]`: interface descriptions, or single members of them.
struct IntrospectCommand: ServiceQuery {
    var options: ServiceArguments
    var names: [String]

    init(_ settings: VarlinkSettings) {
        options = ServiceArguments(settings)
        names = Array(settings.operands.dropFirst())
    }

    func query(_ service: ServiceConnection, on terminal: Terminal) async throws {
        let available = try await implementedInterfaces(of: service)
        let targets = try (names.isEmpty ? available : names).map { name throws(ToolError) in
            try Target(name, available: available)
        }

        var chunks: [String] = []
        var jsonReplies: [JSONValue] = []
        for target in targets {
            let text = try await service.interfaceDescription(target.interface)
            if output.wantsJSON {
                jsonReplies.append(.object(["description": .string(text)]))
                continue
            }
            chunks.append(try render(text, target, terminal: terminal))
        }
        if output.wantsJSON {
            let format = output.format(on: terminal)
            terminal.emit(jsonReplies.map { JSONText.render($0, format, on: terminal) }.joined(), paged: true)
        } else {
            terminal.emit(chunks.joined(separator: "\n"), paged: true)
        }
    }

    /// What one NAME argument refers to.
    struct Target {
        var interface: String
        var member: String?

        init(_ name: String, available: [String]) throws(ToolError) {
            if available.contains(name) {
                interface = name
                member = nil
                return
            }
            if let dot = name.lastIndex(of: "."), available.contains(String(name[..<dot])) {
                interface = String(name[..<dot])
                member = String(name[name.index(after: dot)...])
                return
            }
            throw ToolError(
                "Interface '\(name)' not found; the service implements: \(available.joined(separator: ", "))",
                status: .unknownMethod
            )
        }
    }

    private func render(_ text: String, _ target: Target, terminal: Terminal) throws(ToolError) -> String {
        let interface: IDLInterface
        do {
            interface = try InterfaceText.parse(text, fileName: target.interface)
        } catch {
            Terminal.warn(
                "cannot parse the description of '\(target.interface)' (\(error.summary)); showing it as sent"
            )
            guard target.member == nil else {
                throw ToolError("cannot look up members of an unparsable interface", status: .remoteError)
            }
            return text.hasSuffix("\n") ? text : text + "\n"
        }
        guard let member = target.member else {
            return IDLHighlighter(terminal: terminal).highlight(InterfaceText.format(interface))
        }
        guard let definition = interface.members.first(where: { $0.name == member }) else {
            throw ToolError(
                "'\(member)' is not a method, type or error of interface '\(interface.name)'",
                status: .unknownMethod
            )
        }
        return IDLHighlighter(terminal: terminal).highlight(InterfaceText.format(definition, of: interface))
    }
}
