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

/// A strict parser for the os-release format (shell-like `KEY=VALUE` lines).
///
/// Stricter than systemd's env-file reader on purpose: the bytes come from an untrusted image, so anything
/// ambiguous (a line without `=`, an unterminated quote, control characters, invalid UTF-8) is an error
/// naming the line instead of a guess.
package enum ReleaseFileParser {
    package struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        package var line: Int
        package var reason: String
        package var description: String { "line \(line): \(reason)" }
    }

    /// Works on Unicode scalars, never on Characters: a quote, `=` or newline must not vanish into a
    /// grapheme cluster with a neighbouring combining or prepended mark (and "\r\n" is one Character).
    package static func parse(_ bytes: [UInt8]) throws(Failure) -> [(key: String, value: String)] {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw Failure(line: 0, reason: "not valid UTF-8")
        }
        var fields: [(key: String, value: String)] = []
        var lineNumber = 0
        for rawLine in text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            var line = rawLine
            if line.last == "\r" { line = line.dropLast() }
            if let bad = line.first(where: { ($0.value < 0x20 && $0 != "\t") || $0.value == 0x7F }) {
                throw Failure(line: lineNumber, reason: "control character U+\(hex(bad.value)) not allowed")
            }
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if trimmed.isEmpty || trimmed.first == "#" || trimmed.first == ";" { continue }
            guard let equals = trimmed.firstIndex(of: "=") else {
                throw Failure(line: lineNumber, reason: "expected KEY=VALUE")
            }
            let key = String(String.UnicodeScalarView(trimmed[..<equals]))
            guard isValidKey(key) else { throw Failure(line: lineNumber, reason: "invalid key '\(key)'") }
            let value = try unquote(Array(trimmed[trimmed.index(after: equals)...]), line: lineNumber)
            if let existing = fields.firstIndex(where: { $0.key == key }) {
                fields[existing].value = value
            } else {
                fields.append((key, value))
            }
        }
        return fields
    }

    private static func isValidKey(_ key: String) -> Bool {
        guard let first = key.utf8.first, !(0x30...0x39).contains(first) else { return false }
        return key.utf8.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                || byte == UInt8(ascii: "_")
        }
    }

    /// Shell-style value: unquoted runs (backslash escapes the next character), `'…'` literal,
    /// `"…"` with `\"`, `\\`, `` \` `` and `\$` escapes; runs concatenate.
    private static func unquote(_ raw: [Unicode.Scalar], line: Int) throws(Failure) -> String {
        var result = String.UnicodeScalarView()
        var scalars = raw
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            switch scalar {
            case "'":
                guard let close = scalars[(index + 1)...].firstIndex(of: "'") else {
                    throw Failure(line: line, reason: "unterminated single quote")
                }
                result.append(contentsOf: scalars[(index + 1)..<close])
                index = close + 1
            case "\"":
                index += 1
                var closed = false
                while index < scalars.count {
                    let inner = scalars[index]
                    if inner == "\"" {
                        closed = true
                        index += 1
                        break
                    }
                    if inner == "\\", index + 1 < scalars.count, "\"\\`$".unicodeScalars.contains(scalars[index + 1]) {
                        result.append(scalars[index + 1])
                        index += 2
                        continue
                    }
                    result.append(inner)
                    index += 1
                }
                if !closed { throw Failure(line: line, reason: "unterminated double quote") }
            case "\\":
                guard index + 1 < scalars.count else { throw Failure(line: line, reason: "trailing backslash") }
                result.append(scalars[index + 1])
                index += 2
            default:
                result.append(scalar)
                index += 1
            }
        }
        return String(result)
    }

    private static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
