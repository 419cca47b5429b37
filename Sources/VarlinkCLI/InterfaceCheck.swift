import VarlinkIDL
import VarlinkJSON

/// The pre-flight check of `call`: does the method exist, and do the parameters fit its input?
///
/// The interface comes from the service itself (GetInterfaceDescription). When the service cannot
/// describe it or the text does not parse, the call is sent unchecked with a warning: the check is a
/// convenience, the service remains the authority.
struct InterfaceCheck {
    let service: ServiceConnection

    /// Returns the method's declaration, or `nil` when the interface could not be checked.
    @discardableResult
    func check(_ method: MethodName, _ parameters: JSONObject, streaming: Bool) async throws -> IDLMethod? {
        let text: String
        do {
            text = try await service.interfaceDescriptionReply(method.interface)
        } catch let failure as RemoteFailure {
            if failure.name == "org.varlink.service.InterfaceNotFound"
                || failure.name == "org.varlink.service.InvalidParameter"
            {
                throw ToolError(
                    "Interface '\(method.interface)' not found: the service does not implement it",
                    status: .unknownMethod
                )
            }
            Terminal.warn("cannot fetch interface '\(method.interface)' (\(failure.name)); parameters not validated")
            return nil
        }
        let interface: IDLInterface
        do {
            interface = try InterfaceText.parse(text, fileName: method.interface)
        } catch {
            Terminal.warn("cannot parse interface '\(method.interface)' (\(error.summary)); parameters not validated")
            return nil
        }
        guard let declaration = interface.method(named: method.member) else {
            let known = interface.methods.map(\.name)
            throw ToolError(
                "Method '\(method)' not found: interface '\(method.interface)' has "
                    + (known.isEmpty ? "no methods" : known.joined(separator: ", ")),
                status: .unknownMethod
            )
        }
        do {
            try IDLValidator(interface: interface).validate(parameters, against: declaration.input)
        } catch {
            throw ToolError(
                "Invalid parameters for \(method)(): \(error) (use --no-validate to send them anyway)",
                status: .invalidParameters
            )
        }
        if declaration.moreSupport == .required && !streaming {
            Terminal.warn("\(method)() requires the 'more' flag; use --more or --collect")
        }
        return declaration
    }
}
