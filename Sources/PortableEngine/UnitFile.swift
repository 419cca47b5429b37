/// A unit file found in an image and matched by the requested prefixes.
package struct UnitFile: Sendable, Hashable {
    /// The unit name, e.g. `foo.service`.
    package var name: String
    /// The image (root or extension) path it came from.
    package var image: String
    /// Its path inside that image, as found in the unit search path.
    package var path: String
    /// The exact contents (validated UTF-8 without control characters).
    package var contents: String
    /// Where it resolved to inside the image (differs from `path` for symlinked units).
    package var resolvedPath: String?

    package init(name: String, image: String, path: String, contents: String, resolvedPath: String? = nil) {
        self.name = name
        self.image = image
        self.path = path
        self.contents = contents
        self.resolvedPath = resolvedPath
    }
}

/// Whether a release file describes a system extension or a configuration extension.
package enum ExtensionClass: String, Sendable, Hashable {
    case sysext
    case confext

    var fieldPrefix: String { self == .sysext ? "SYSEXT" : "CONFEXT" }
}
