public import VarlinkJSON

/// Checks Varlink messages (call parameters, replies, error parameters) against an interface.
///
/// Follows sd-varlink's rules: a required field missing, `null` in a non-nullable field, a value
/// of the wrong type, or a field the struct does not declare is an error that names the offending
/// top-level parameter (what `org.varlink.service.InvalidParameter` carries) and the path to the
/// value inside it.
public struct IDLValidator: Sendable {
    /// What the validator tolerates.
    public struct Options: Sendable, Hashable {
        /// Accept fields the IDL does not declare (clients reading replies of newer servers).
        public var allowUnknownFields: Bool

        public init(allowUnknownFields: Bool = false) { self.allowUnknownFields = allowUnknownFields }
    }

    /// The interface messages are checked against.
    public let interface: IDLInterface
    public var options: Options
    private let typesByName: [String: IDLTypeDefinition]

    public init(interface: IDLInterface, options: Options = Options()) {
        self.interface = interface
        self.options = options
        var typesByName: [String: IDLTypeDefinition] = [:]
        for definition in interface.types where typesByName[definition.name] == nil {
            typesByName[definition.name] = definition
            typesByName[interface.name + "." + definition.name] = definition
        }
        self.typesByName = typesByName
    }

    /// Checks a call's parameters against `method`'s input (unqualified or fully qualified name).
    public func validateParameters(_ parameters: JSONObject, method: String) throws(IDLValidationError) {
        guard let definition = interface.method(named: method) else {
            throw IDLValidationError(parameter: "", path: "", reason: "no method '\(method)' in \(interface.name)")
        }
        try validate(parameters, against: definition.input)
    }

    /// Checks a reply's parameters against `method`'s output.
    public func validateReply(_ parameters: JSONObject, method: String) throws(IDLValidationError) {
        guard let definition = interface.method(named: method) else {
            throw IDLValidationError(parameter: "", path: "", reason: "no method '\(method)' in \(interface.name)")
        }
        try validate(parameters, against: definition.output)
    }

    /// Checks an error's parameters against the error's declaration.
    public func validateError(_ parameters: JSONObject, error: String) throws(IDLValidationError) {
        guard let definition = interface.error(named: error) else {
            throw IDLValidationError(parameter: "", path: "", reason: "no error '\(error)' in \(interface.name)")
        }
        try validate(parameters, against: definition.parameters)
    }

    /// Checks a top-level object against a struct; errors name the offending member.
    public func validate(_ object: JSONObject, against body: IDLStruct) throws(IDLValidationError) {
        try validateStruct(object, body, topLevel: nil, path: "")
    }

    private func validateStruct(
        _ object: JSONObject,
        _ body: IDLStruct,
        topLevel: String?,
        path: String
    ) throws(IDLValidationError) {
        for field in body.fields {
            let fieldPath = path.isEmpty ? field.name : path + "." + field.name
            let parameter = topLevel ?? field.name
            guard let value = object[field.name] else {
                if field.type.isOptional { continue }
                throw IDLValidationError(parameter: parameter, path: fieldPath, reason: "required field is missing")
            }
            try validateValue(value, field.type, parameter: parameter, path: fieldPath)
        }
        guard !options.allowUnknownFields, object.count > 0 else { return }
        for (key, _) in object where body.field(named: key) == nil {
            let fieldPath = path.isEmpty ? key : path + "." + key
            throw IDLValidationError(parameter: topLevel ?? key, path: fieldPath, reason: "unknown field")
        }
    }

    private func validateValue(
        _ value: JSONValue,
        _ type: IDLType,
        parameter: String,
        path: String
    ) throws(IDLValidationError) {
        func mismatch(_ expected: String) -> IDLValidationError {
            IDLValidationError(
                parameter: parameter,
                path: path,
                reason: "expected \(expected), found \(value.kindName)"
            )
        }
        switch type {
        case .optional(let inner):
            if value.isNull { return }
            try validateValue(value, inner, parameter: parameter, path: path)
        case _ where value.isNull:
            throw IDLValidationError(parameter: parameter, path: path, reason: "null is not allowed here")
        case .bool:
            guard case .bool = value else { throw mismatch("a boolean") }
        case .int:
            switch value {
            case .int, .uint: return
            default: throw mismatch("an integer")
            }
        case .float:
            switch value {
            case .int, .uint, .double: return
            default: throw mismatch("a number")
            }
        case .string:
            guard case .string = value else { throw mismatch("a string") }
        case .object:
            guard case .object = value else { throw mismatch("an object") }
        case .any:
            return
        case .array(let element):
            guard case .array(let elements) = value else { throw mismatch("an array") }
            for (index, item) in elements.enumerated() {
                try validateValue(item, element, parameter: parameter, path: "\(path)[\(index)]")
            }
        case .map(let element):
            guard case .object(let object) = value else { throw mismatch("an object (string map)") }
            for (key, member) in object {
                try validateValue(member, element, parameter: parameter, path: "\(path)[\"\(key)\"]")
            }
        case .struct(let body):
            guard case .object(let object) = value else { throw mismatch("an object") }
            try validateStruct(object, body, topLevel: parameter, path: path)
        case .enum(let body):
            try validateEnum(value, body, parameter: parameter, path: path)
        case .named(let name):
            guard let definition = typesByName[name] else {
                throw IDLValidationError(parameter: parameter, path: path, reason: "unknown type '\(name)'")
            }
            switch definition.body {
            case .struct(let body):
                guard case .object(let object) = value else { throw mismatch("an object (\(name))") }
                try validateStruct(object, body, topLevel: parameter, path: path)
            case .enum(let body):
                try validateEnum(value, body, parameter: parameter, path: path)
            }
        }
    }

    private func validateEnum(
        _ value: JSONValue,
        _ body: IDLEnum,
        parameter: String,
        path: String
    ) throws(IDLValidationError) {
        guard case .string(let string) = value else {
            throw IDLValidationError(
                parameter: parameter,
                path: path,
                reason: "expected an enum string, found \(value.kindName)"
            )
        }
        guard body.values.contains(where: { $0.name == string }) else {
            throw IDLValidationError(
                parameter: parameter,
                path: path,
                reason: "'\(string)' is not one of \(body.names.joined(separator: ", "))"
            )
        }
    }
}

/// Why a message does not match its declared type.
public struct IDLValidationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The top-level field at fault: the `parameter` of `org.varlink.service.InvalidParameter`.
    public var parameter: String
    /// Where inside the message, e.g. `images[2].name`.
    public var path: String
    /// What is wrong.
    public var reason: String

    public init(parameter: String, path: String, reason: String) {
        self.parameter = parameter
        self.path = path
        self.reason = reason
    }

    public var description: String { path.isEmpty ? reason : "\(path): \(reason)" }
}

extension JSONValue {
    /// The JSON kind, for messages.
    var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .int, .uint: return "an integer"
        case .double: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}
