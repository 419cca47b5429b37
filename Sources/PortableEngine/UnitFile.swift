/// A unit file found in an image and matched by the requested prefixes.
public struct UnitFile: Sendable, Hashable {
    /// The unit name, e.g. `foo.service`.
    public var name: String
    /// The image (root or extension) path it came from.
    public var image: String
    /// Its path inside that image, as found in the unit search path.
    public var path: String
    /// The exact contents (validated UTF-8 without control characters).
    public var contents: String
    /// Where it resolved to inside the image (differs from `path` for symlinked units).
    public var resolvedPath: String?

    public init(name: String, image: String, path: String, contents: String, resolvedPath: String? = nil) {
        self.name = name
        self.image = image
        self.path = path
        self.contents = contents
        self.resolvedPath = resolvedPath
    }
}

/// Whether a release file describes a system extension or a configuration extension.
public enum ExtensionClass: String, Sendable, Hashable {
    case sysext
    case confext

    var fieldPrefix: String { self == .sysext ? "SYSEXT" : "CONFEXT" }
}
