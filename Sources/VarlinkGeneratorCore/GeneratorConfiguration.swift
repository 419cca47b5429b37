/// How `VarlinkGenerator` renders Swift.
package struct GeneratorConfiguration: Sendable, Hashable {
    /// The access level of every generated declaration.
    package enum AccessLevel: String, Sendable, Hashable, CaseIterable {
        case `public`
        case `package`
        case `internal`
    }

    /// The access level of generated declarations (default `public`).
    package var accessLevel: AccessLevel
    /// What the header names as the source (usually the input file's name).
    package var sourceName: String
    /// Whether generated types also conform to `Codable` (for storing them or other encoders); the
    /// wire does not need it.
    package var codable: Bool

    package init(accessLevel: AccessLevel = .public, sourceName: String = "interface.varlink", codable: Bool = false) {
        self.accessLevel = accessLevel
        self.sourceName = sourceName
        self.codable = codable
    }
}
