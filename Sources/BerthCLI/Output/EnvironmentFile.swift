import PortableEngine

/// The fields of an os-release or extension-release for `inspect`'s summary, parsed by the engine's
/// own parser (the files were validated by it when the image was opened, in process or in berthd).
/// A file it refuses shows as having no fields rather than failing the whole `inspect`.
package struct EnvironmentFile: Sendable, Equatable {
    package private(set) var values: [String: String] = [:]

    package init(bytes: [UInt8]) {
        for field in (try? ReleaseFileParser.parse(bytes)) ?? [] { values[field.key] = field.value }
    }

    /// The value, or nil when the key is absent or empty.
    package subscript(key: String) -> String? {
        guard let value = values[key], !value.isEmpty else { return nil }
        return value
    }
}
