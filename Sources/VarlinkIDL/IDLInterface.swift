/// A parsed Varlink interface: the root of the AST.
public struct IDLInterface: Sendable, Hashable {
    /// The reverse-domain interface name, e.g. `org.varlink.service`.
    public var name: String
    /// Documentation lines (the `#` comments right before `interface`).
    public var documentation: [String]
    /// The members in declaration order.
    public var members: [IDLMember]
    /// Where `interface` starts.
    public var location: SourceLocation

    public init(
        name: String,
        members: [IDLMember] = [],
        documentation: [String] = [],
        location: SourceLocation = .start
    ) {
        self.name = name
        self.members = members
        self.documentation = documentation
        self.location = location
    }

    /// The `type` declarations in order.
    public var types: [IDLTypeDefinition] {
        members.compactMap { if case .type(let definition) = $0 { return definition } else { return nil } }
    }

    /// The methods in order.
    public var methods: [IDLMethod] {
        members.compactMap { if case .method(let method) = $0 { return method } else { return nil } }
    }

    /// The errors in order.
    public var errors: [IDLErrorDefinition] {
        members.compactMap { if case .error(let error) = $0 { return error } else { return nil } }
    }

    /// The type named `name` (unqualified, or qualified with this interface's name).
    public func type(named name: String) -> IDLTypeDefinition? {
        let local = unqualified(name)
        return types.first { $0.name == local }
    }

    /// The method named `name` (unqualified, or qualified with this interface's name).
    public func method(named name: String) -> IDLMethod? {
        let local = unqualified(name)
        return methods.first { $0.name == local }
    }

    /// The error named `name` (unqualified, or qualified with this interface's name).
    public func error(named name: String) -> IDLErrorDefinition? {
        let local = unqualified(name)
        return errors.first { $0.name == local }
    }

    private func unqualified(_ name: String) -> Substring {
        let prefix = self.name + "."
        if name.hasPrefix(prefix) { return name.dropFirst(prefix.count) }
        return Substring(name)
    }
}
