public import VarlinkJSON

/// An error that travels on the wire: a reverse-domain name plus a parameters object.
///
/// Handlers throw values conforming to this protocol and the server replies
/// `{"error": errorName, "parameters": errorParameters}`. Generated error enums conform to it.
public protocol VarlinkError: Error, Sendable {
    /// Fully qualified error name, e.g. `org.varlink.service.InvalidParameter`.
    var errorName: String { get }
    /// The error's parameters (empty when the error has none).
    var errorParameters: JSONObject { get }
}

extension VarlinkError {
    public var errorParameters: JSONObject { [:] }
}

/// An error reply received from a service, with whatever name and parameters it carried.
///
/// Clients throw this for every error reply; `serviceError` decodes the standard
/// `org.varlink.service` errors, and generated clients map their interface's names to typed errors.
public struct VarlinkRemoteError: VarlinkError, Hashable, CustomStringConvertible {
    public var name: String
    public var parameters: JSONObject

    public init(name: String, parameters: JSONObject = [:]) {
        self.name = name
        self.parameters = parameters
    }

    public var errorName: String { name }
    public var errorParameters: JSONObject { parameters }

    /// The standard error this is, when it is one of `org.varlink.service`'s.
    public var serviceError: VarlinkServiceError? { VarlinkServiceError(name: name, parameters: parameters) }

    /// The interface part of the name (everything before the last dot).
    public var interface: String {
        guard let dot = name.lastIndex(of: ".") else { return "" }
        return String(name[..<dot])
    }

    public var description: String {
        parameters.isEmpty ? name : "\(name) \(JSONSerializer.string(.object(parameters)))"
    }
}
