import VarlinkJSON

/// A Varlink error reply (`{"error": NAME, "parameters": {…}}`) as the CLI reports it.
struct RemoteFailure: Error, Sendable {
    /// The fully qualified error name, e.g. `org.varlink.service.MethodNotFound`.
    let name: String
    /// The error's parameters (possibly empty).
    let parameters: JSONObject

    /// The exit status for this error: the standard "not found" and "bad parameter" errors get their own.
    var status: ExitStatus {
        switch name {
        case "org.varlink.service.MethodNotFound", "org.varlink.service.InterfaceNotFound",
            "org.varlink.service.MethodNotImplemented":
            return .unknownMethod
        case "org.varlink.service.InvalidParameter":
            return .invalidParameters
        default:
            return .remoteError
        }
    }

    /// The error name plus the detail a person needs, on one line.
    var summary: String {
        let service = "org.varlink.service."
        switch name {
        case service + "ExpectedMore":
            return "\(name) (the method must be called with --more or --collect)"
        case service + "InvalidParameter":
            return parameters["parameter"]?.stringValue.map { "\(name) (parameter '\($0)')" } ?? name
        case service + "MethodNotFound", service + "MethodNotImplemented":
            return parameters["method"]?.stringValue.map { "\(name) (method '\($0)')" } ?? name
        case service + "InterfaceNotFound":
            return parameters["interface"]?.stringValue.map { "\(name) (interface '\($0)')" } ?? name
        default:
            return name
        }
    }
}
