/// A `type` declaration: a named struct or enum.
public struct IDLTypeDefinition: Sendable, Hashable {
    /// The body of a named type.
    public enum Body: Sendable, Hashable {
        case `struct`(IDLStruct)
        case `enum`(IDLEnum)
    }

    public var name: String
    public var body: Body
    /// Documentation lines (the `#` comments right before `type`).
    public var documentation: [String]
    /// Where `type` starts.
    public var location: SourceLocation

    public init(name: String, body: Body, documentation: [String] = [], location: SourceLocation = .start) {
        self.name = name
        self.body = body
        self.documentation = documentation
        self.location = location
    }
}

/// A `method Name(input) -> (output)` declaration.
public struct IDLMethod: Sendable, Hashable {
    public var name: String
    public var input: IDLStruct
    public var output: IDLStruct
    /// Documentation lines, including systemd's `[Requires 'more' flag]` style annotations.
    public var documentation: [String]
    public var location: SourceLocation

    public init(
        name: String,
        input: IDLStruct,
        output: IDLStruct,
        documentation: [String] = [],
        location: SourceLocation = .start
    ) {
        self.name = name
        self.input = input
        self.output = output
        self.documentation = documentation
        self.location = location
    }

    /// How the method uses the `more` flag, read from systemd's documentation annotation.
    public var moreSupport: FlagSupport { FlagSupport(documentation: documentation, flag: "more") }

    /// How the method uses the `upgrade` flag, read from systemd's documentation annotation.
    public var upgradeSupport: FlagSupport { FlagSupport(documentation: documentation, flag: "upgrade") }
}

/// Whether a method accepts a call flag, as systemd marks it (`# [Supports 'more' flag]`).
public enum FlagSupport: Sendable, Hashable {
    case unsupported
    case supported
    case required

    init(documentation: [String], flag: String) {
        if documentation.contains("[Requires '\(flag)' flag]") {
            self = .required
        } else if documentation.contains("[Supports '\(flag)' flag]") {
            self = .supported
        } else {
            self = .unsupported
        }
    }
}

/// An `error Name (parameters)` declaration.
public struct IDLErrorDefinition: Sendable, Hashable {
    public var name: String
    public var parameters: IDLStruct
    public var documentation: [String]
    public var location: SourceLocation

    public init(name: String, parameters: IDLStruct, documentation: [String] = [], location: SourceLocation = .start) {
        self.name = name
        self.parameters = parameters
        self.documentation = documentation
        self.location = location
    }
}

/// One member of an interface, in declaration order.
public enum IDLMember: Sendable, Hashable {
    case type(IDLTypeDefinition)
    case method(IDLMethod)
    case error(IDLErrorDefinition)

    /// The member's name (types, methods and errors share one namespace).
    public var name: String {
        switch self {
        case .type(let definition): return definition.name
        case .method(let method): return method.name
        case .error(let error): return error.name
        }
    }

    /// Where the member's keyword starts.
    public var location: SourceLocation {
        switch self {
        case .type(let definition): return definition.location
        case .method(let method): return method.location
        case .error(let error): return error.location
        }
    }

    /// The member's documentation lines.
    public var documentation: [String] {
        switch self {
        case .type(let definition): return definition.documentation
        case .method(let method): return method.documentation
        case .error(let error): return error.documentation
        }
    }
}
