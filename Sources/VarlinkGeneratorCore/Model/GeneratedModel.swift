import VarlinkIDL

/// The translated interface: Swift names and types decided, ready to render.
struct GeneratedInterface {
    /// The interface's wire name.
    var name: String
    /// The Swift namespace enum holding everything.
    var namespace: String
    var documentation: [String]
    /// The canonical IDL text (`GetInterfaceDescription`).
    var description: String
    var types: [GeneratedType]
    var methods: [GeneratedMethod]
    var errors: [GeneratedError]
    /// Types nested in the error enum (anonymous types of error parameters).
    var errorNestedTypes: [GeneratedType]
}

/// A named Swift type: a struct or a String-backed enum.
enum GeneratedType {
    case structure(GeneratedStruct)
    case enumeration(GeneratedEnum)
}

struct GeneratedStruct {
    /// The name inside its parent (`Change`, `AttachImageParameters`, `Inline`).
    var name: String
    /// The fully qualified Swift name (`Portable.Change`).
    var qualifiedName: String
    var documentation: [String]
    var fields: [GeneratedField]
    /// Anonymous structs and enums of the fields, nested in this struct.
    var nested: [GeneratedType]
}

struct GeneratedField {
    /// The JSON key.
    var wireName: String
    /// The Swift identifier, escaped when it is a keyword.
    var swiftName: String
    var documentation: [String]
    var type: SwiftTypeReference
}

struct GeneratedEnum {
    var name: String
    var qualifiedName: String
    var documentation: [String]
    var cases: [GeneratedEnumCase]
}

struct GeneratedEnumCase {
    var swiftName: String
    var rawValue: String
    var documentation: [String]
}

struct GeneratedMethod {
    /// The method name as on the wire (without the interface).
    var name: String
    /// The Swift function name.
    var swiftName: String
    var documentation: [String]
    var parameters: GeneratedStruct
    var reply: GeneratedStruct
    var more: FlagSupport
}

struct GeneratedError {
    /// The fully qualified wire name.
    var wireName: String
    /// The enum case name.
    var caseName: String
    var documentation: [String]
    var fields: [GeneratedField]
}

/// The Swift type of a field, with enough structure to render its JSON conversion.
indirect enum SwiftTypeReference {
    case bool
    case int
    case double
    case string
    case object
    case any
    /// A generated struct, by qualified name.
    case structure(String)
    /// A generated enum, by qualified name.
    case enumeration(String)
    case optional(SwiftTypeReference)
    case array(SwiftTypeReference)
    case map(SwiftTypeReference)

    /// The type as written in Swift.
    var swift: String {
        switch self {
        case .bool: return "Swift.Bool"
        case .int: return "Swift.Int"
        case .double: return "Swift.Double"
        case .string: return "Swift.String"
        case .object: return "VarlinkJSON.JSONObject"
        case .any: return "VarlinkJSON.JSONValue"
        case .structure(let name), .enumeration(let name): return name
        case .optional(let wrapped): return wrapped.swift + "?"
        case .array(let element): return "[" + element.swift + "]"
        case .map(let element): return "[Swift.String: " + element.swift + "]"
        }
    }

    var isOptional: Bool {
        if case .optional = self { return true }
        return false
    }
}
