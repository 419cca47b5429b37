/// An os-release or extension-release file read from inside an image, with its parsed fields.
package struct ReleaseFile: Sendable, Hashable {
    /// The image (or extension) path the file came from, as given to the engine.
    package var image: String
    /// The file's path inside the image, e.g. `/usr/lib/os-release`.
    package var path: String
    /// The exact bytes, validated UTF-8.
    package var contents: String
    /// `KEY=VALUE` assignments in file order (a repeated key keeps its last value, at its first position).
    package var fields: [(key: String, value: String)]

    package init(image: String, path: String, contents: String, fields: [(key: String, value: String)]) {
        self.image = image
        self.path = path
        self.contents = contents
        self.fields = fields
    }

    /// The value of `key`, if present.
    package subscript(key: String) -> String? {
        fields.first { $0.key == key }?.value
    }

    /// The first present, non-empty value among `keys`.
    func first(of keys: [String]) -> String? {
        for key in keys { if let value = self[key], !value.isEmpty { return value } }
        return nil
    }

    /// A whitespace-separated list field.
    func list(_ key: String) -> [String] {
        (self[key] ?? "").split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init)
    }

    package static func == (lhs: ReleaseFile, rhs: ReleaseFile) -> Bool {
        lhs.image == rhs.image && lhs.path == rhs.path && lhs.contents == rhs.contents
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(image)
        hasher.combine(path)
        hasher.combine(contents)
    }
}
