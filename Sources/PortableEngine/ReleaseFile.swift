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
    /// The file as read, byte for byte: portabled's GetImageMetadata sends these, even when they do not
    /// parse (`contents` would lose bytes that are not UTF-8).
    package var bytes: [UInt8]

    package init(
        image: String,
        path: String,
        contents: String,
        fields: [(key: String, value: String)],
        bytes: [UInt8]? = nil
    ) {
        self.image = image
        self.path = path
        self.contents = contents
        self.fields = fields
        self.bytes = bytes ?? Array(contents.utf8)
    }

    /// What reading a release file does when it does not parse.
    package enum WhenUnparsable: Sendable, Hashable {
        /// Fail with portabled's "Bad message" (attach, and inspect everywhere but on the bus).
        case refuse
        /// Keep the bytes, with no fields: portabled's GetImageMetadata sends the root's os-release
        /// unparsed and leaves the failure to portablectl.
        case keep
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
        lhs.image == rhs.image && lhs.path == rhs.path && lhs.bytes == rhs.bytes
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(image)
        hasher.combine(path)
        hasher.combine(bytes)
    }
}
