import VarlinkJSON

/// The built-in `org.varlink.service`: GetInfo and GetInterfaceDescription, answered on the I/O thread.
struct ServiceInterface: VarlinkInterface {
    unowned let core: ServerCore

    var name: String { VarlinkServiceError.interfaceName }
    var interfaceDescription: String { Self.idl }

    func handleImmediately(_ call: VarlinkCall, reply: VarlinkReply) throws -> Bool {
        switch call.methodName {
        case "GetInfo":
            if let unexpected = call.parameters.keys.first {
                throw VarlinkServiceError.invalidParameter(parameter: unexpected)
            }
            let configuration = core.configuration
            reply.reply([
                "vendor": .string(configuration.vendor),
                "product": .string(configuration.product),
                "version": .string(configuration.version),
                "url": .string(configuration.url),
                "interfaces": .array(core.interfaceOrder.map { .string($0) }),
            ])
        case "GetInterfaceDescription":
            for key in call.parameters.keys where key != "interface" {
                throw VarlinkServiceError.invalidParameter(parameter: key)
            }
            guard case .string(let name)? = call.parameters["interface"] else {
                throw VarlinkServiceError.invalidParameter(parameter: "interface")
            }
            guard let interface = core.interfaces[name] else {
                throw VarlinkServiceError.interfaceNotFound(interface: name)
            }
            reply.reply(["description": .string(interface.interfaceDescription)])
        default:
            throw VarlinkServiceError.methodNotFound(method: call.method)
        }
        return true
    }

    func handle(_ call: VarlinkCall, reply: VarlinkReply) async throws {
        _ = try handleImmediately(call, reply: reply)
    }

    static let idl = """
        # The Varlink Service Interface is provided by every varlink service. It
        # describes the service and the interfaces it implements.
        interface org.varlink.service

        # Get a list of all the interfaces a service provides and information
        # about the implementation.
        method GetInfo() -> (
          vendor: string,
          product: string,
          version: string,
          url: string,
          interfaces: []string
        )

        # Get the description of an interface that is implemented by this service.
        method GetInterfaceDescription(interface: string) -> (description: string)

        # The requested interface was not found.
        error InterfaceNotFound (interface: string)

        # The requested method was not found
        error MethodNotFound (method: string)

        # The interface defines the requested method, but the service does not
        # implement it.
        error MethodNotImplemented (method: string)

        # One of the passed parameters is invalid.
        error InvalidParameter (parameter: string)

        # Client is denied access
        error PermissionDenied ()

        # Method is expected to be called with 'more' set to true, but wasn't
        error ExpectedMore ()

        # Method is expected to be called with 'upgrade' set to true, but wasn't
        error ExpectedUpgrade ()

        """
}
