/// Reads `KEY=VALUE` files (os-release, extension-release) for display only: quoting as in
/// os-release(5) (single quotes literal, double quotes with backslash escapes), `#` comments,
/// malformed lines skipped. Validation is the engine's job; this only feeds `inspect`.
package struct EnvironmentFile: Sendable, Equatable {
    package private(set) var values: [String: String] = [:]

    package init(bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let line = rawLine.drop { $0 == " " || $0 == "\t" }
            guard !line.isEmpty, line.first != "#", line.first != ";" else { continue }
            guard let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingTrailingWhitespace()
            guard !key.isEmpty else { continue }
            values[String(key)] = Self.unquote(line[line.index(after: equals)...])
        }
    }

    package subscript(key: String) -> String? {
        guard let value = values[key], !value.isEmpty else { return nil }
        return value
    }

    private static func unquote(_ raw: Substring) -> String {
        var result = ""
        var quote: Character?
        var escaped = false
        var pendingSpace = ""
        for character in raw {
            if escaped {
                result += pendingSpace
                pendingSpace = ""
                result.append(character)
                escaped = false
                continue
            }
            switch (quote, character) {
            case (nil, "\""), (nil, "'"):
                result += pendingSpace
                pendingSpace = ""
                quote = character
            case ("\"", "\""), ("'", "'"):
                quote = nil
            case ("\"", "\\"), (nil, "\\"):
                escaped = true
            case (nil, " "), (nil, "\t"):
                if !result.isEmpty { pendingSpace.append(character) }
            default:
                result += pendingSpace
                pendingSpace = ""
                result.append(character)
            }
        }
        return result
    }
}

extension Substring {
    fileprivate func trimmingTrailingWhitespace() -> Substring {
        var copy = self
        while let last = copy.last, last == " " || last == "\t" { copy = copy.dropLast() }
        return copy
    }
}
