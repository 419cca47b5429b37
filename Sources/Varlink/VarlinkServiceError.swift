public import VarlinkJSON

/// The standard errors of `org.varlink.service`, with their parameters.
public enum VarlinkServiceError: VarlinkError, Hashable, CustomStringConvertible {
    case interfaceNotFound(interface: String)
    case methodNotFound(method: String)
    case methodNotImplemented(method: String)
    case invalidParameter(parameter: String)
    case permissionDenied
    case expectedMore
    case expectedUpgrade

    public static let interfaceName = "org.varlink.service"

    public var errorName: String {
        switch self {
        case .interfaceNotFound: return "org.varlink.service.InterfaceNotFound"
        case .methodNotFound: return "org.varlink.service.MethodNotFound"
        case .methodNotImplemented: return "org.varlink.service.MethodNotImplemented"
        case .invalidParameter: return "org.varlink.service.InvalidParameter"
        case .permissionDenied: return "org.varlink.service.PermissionDenied"
        case .expectedMore: return "org.varlink.service.ExpectedMore"
        case .expectedUpgrade: return "org.varlink.service.ExpectedUpgrade"
        }
    }

    public var errorParameters: JSONObject {
        switch self {
        case .interfaceNotFound(let interface): return ["interface": .string(interface)]
        case .methodNotFound(let method): return ["method": .string(method)]
        case .methodNotImplemented(let method): return ["method": .string(method)]
        case .invalidParameter(let parameter): return ["parameter": .string(parameter)]
        case .permissionDenied, .expectedMore, .expectedUpgrade: return [:]
        }
    }

    /// Decodes a received error; `nil` for other names. Missing string parameters decode as `""`
    /// because peers disagree on them (Go omits some).
    public init?(name: String, parameters: JSONObject) {
        func text(_ key: String) -> String { parameters[key]?.stringValue ?? "" }
        switch name {
        case "org.varlink.service.InterfaceNotFound": self = .interfaceNotFound(interface: text("interface"))
        case "org.varlink.service.MethodNotFound": self = .methodNotFound(method: text("method"))
        case "org.varlink.service.MethodNotImplemented": self = .methodNotImplemented(method: text("method"))
        case "org.varlink.service.InvalidParameter": self = .invalidParameter(parameter: text("parameter"))
        case "org.varlink.service.PermissionDenied": self = .permissionDenied
        case "org.varlink.service.ExpectedMore": self = .expectedMore
        case "org.varlink.service.ExpectedUpgrade": self = .expectedUpgrade
        default: return nil
        }
    }

    public var description: String {
        errorParameters.isEmpty ? errorName : "\(errorName) \(JSONSerializer.string(.object(errorParameters)))"
    }
}
