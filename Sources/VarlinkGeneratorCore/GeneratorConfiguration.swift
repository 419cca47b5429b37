/// How `VarlinkGenerator` renders Swift.
public struct GeneratorConfiguration: Sendable, Hashable {
    /// The access level of every generated declaration.
    public enum AccessLevel: String, Sendable, Hashable, CaseIterable {
        case `public`
        case `package`
        case `internal`
    }

    /// The access level of generated declarations (default `public`).
    public var accessLevel: AccessLevel
    /// What the header names as the source (usually the input file's name).
    public var sourceName: String

    public init(accessLevel: AccessLevel = .public, sourceName: String = "interface.varlink") {
        self.accessLevel = accessLevel
        self.sourceName = sourceName
    }
}
