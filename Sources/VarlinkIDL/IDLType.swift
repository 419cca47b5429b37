/// A type expression of the Varlink IDL.
public indirect enum IDLType: Sendable, Hashable {
    case bool
    case int
    case float
    case string
    /// A JSON object of unspecified shape.
    case object
    /// Any JSON value (UAPI.20 / systemd ≥ 260).
    case any
    /// A reference to a `type` of the interface; may be qualified (`org.example.Iface.Name`).
    case named(String)
    /// `?T`: the value may be null or absent.
    case optional(IDLType)
    /// `[]T`
    case array(IDLType)
    /// `[string]T`: a JSON object with arbitrary keys.
    case map(IDLType)
    /// An anonymous struct written in place: `(a: int, b: string)`.
    case `struct`(IDLStruct)
    /// An anonymous enum written in place: `(one, two)`.
    case `enum`(IDLEnum)
}

extension IDLType {
    /// Whether this is `?T`.
    public var isOptional: Bool {
        if case .optional = self { return true }
        return false
    }

    /// The type without one leading `?`.
    public var unwrapped: IDLType {
        if case .optional(let wrapped) = self { return wrapped }
        return self
    }

    /// How deeply containers and anonymous types nest below this one (a plain element is 0).
    public var nestingDepth: Int {
        switch self {
        case .bool, .int, .float, .string, .object, .any, .named: return 0
        case .optional(let inner), .array(let inner), .map(let inner): return inner.nestingDepth + 1
        case .struct(let body): return 1 + (body.fields.map(\.type.nestingDepth).max() ?? 0)
        case .enum: return 1
        }
    }
}

/// The fields of a struct (a `type`, a method's input or output, an error's parameters, or inline).
public struct IDLStruct: Sendable, Hashable {
    /// The fields, in declaration order.
    public var fields: [IDLField]

    public init(fields: [IDLField] = []) { self.fields = fields }

    /// The field named `name`.
    public func field(named name: String) -> IDLField? { fields.first { $0.name == name } }
}

/// One `name: type` member of a struct.
public struct IDLField: Sendable, Hashable {
    /// The field name as written.
    public var name: String
    /// The declared type.
    public var type: IDLType
    /// Documentation lines (the `#` comments right before the field, one space after `#` removed).
    public var documentation: [String]
    /// Where the name starts.
    public var location: SourceLocation
    /// Where the type expression starts.
    public var typeLocation: SourceLocation

    public init(
        name: String,
        type: IDLType,
        documentation: [String] = [],
        location: SourceLocation = .start,
        typeLocation: SourceLocation = .start
    ) {
        self.name = name
        self.type = type
        self.documentation = documentation
        self.location = location
        self.typeLocation = typeLocation
    }
}

/// The values of an enum.
public struct IDLEnum: Sendable, Hashable {
    /// The values, in declaration order.
    public var values: [IDLEnumValue]

    public init(values: [IDLEnumValue] = []) { self.values = values }

    /// The value names in order.
    public var names: [String] { values.map(\.name) }
}

/// One value of an enum.
public struct IDLEnumValue: Sendable, Hashable {
    /// The value as written (and as sent on the wire).
    public var name: String
    /// Documentation lines.
    public var documentation: [String]
    /// Where the value starts.
    public var location: SourceLocation

    public init(name: String, documentation: [String] = [], location: SourceLocation = .start) {
        self.name = name
        self.documentation = documentation
        self.location = location
    }
}
