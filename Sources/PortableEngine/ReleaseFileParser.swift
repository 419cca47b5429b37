/// os-release and extension-release parsed with systemd's env-file grammar (`parse_env_file`), so a
/// field means in Berth what it means to portablectl and PID 1. Checked against `portablectl inspect`
/// of 257 and 262 on a table of tricky files (`ReleaseFileParserTests`):
///
/// - `#` or `;` as a line's first non-blank starts a comment; `\` at a comment's end is no continuation.
/// - A line without `=` is skipped; blanks around the key and before the value are dropped.
/// - Unquoted: `\x` is `x`, `\` + newline joins lines, trailing blanks are dropped, quotes after the
///   first character are literal.
/// - `'…'` is literal, `"…"` unescapes `\" \\ \` \$` (and drops `\` + newline), keeps other `\x`; both
///   may span lines, and an unterminated one runs to the end of the file.
/// - A key that repeats keeps its last value; CR is a line end like LF.
/// - A NUL byte (`EBADMSG`) or invalid UTF-8 in a key or value (`EINVAL`) fails the whole file.
///
/// Values may so hold newlines and control characters: whoever writes them into a unit file must
/// filter them (`PortableDropIn.releaseLogField`).
package enum ReleaseFileParser {
    package struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        package var line: Int
        package var reason: String
        package var description: String { "line \(line): \(reason)" }
    }

    private enum State {
        case preKey, key, preValue, value, valueEscape
        case singleQuoted, doubleQuoted, doubleQuotedEscape, comment
    }

    /// Works on bytes: every character of the grammar is ASCII, and UTF-8 never uses ASCII bytes inside a
    /// multi-byte sequence, so no quote or newline can hide in a neighbouring character.
    package static func parse(_ bytes: [UInt8]) throws(Failure) -> [(key: String, value: String)] {
        if let nul = bytes.firstIndex(of: 0) {
            throw Failure(line: lineNumber(of: nul, in: bytes), reason: "NUL byte")
        }
        var fields: [(key: String, value: String)] = []
        var state = State.preKey
        var key: [UInt8] = []
        var value: [UInt8] = []
        var keyEnd = 0  // key length without trailing blanks
        var valueEnd = 0  // unquoted value length without trailing blanks
        var line = 1

        func push() throws(Failure) {
            defer { key = []; value = [] }
            guard let name = String(validating: key[..<keyEnd], as: UTF8.self) else {
                throw Failure(line: line, reason: "invalid UTF-8 key")
            }
            guard let text = String(validating: value, as: UTF8.self) else {
                throw Failure(line: line, reason: "invalid UTF-8 value for key \(name)")
            }
            if let existing = fields.firstIndex(where: { $0.key == name }) {
                fields[existing].value = text
            } else {
                fields.append((name, text))
            }
        }

        for byte in bytes {
            let isNewline = byte == 0x0A || byte == 0x0D
            let isBlank = byte == 0x20 || byte == 0x09 || isNewline
            switch state {
            case .preKey:
                if byte == UInt8(ascii: "#") || byte == UInt8(ascii: ";") {
                    state = .comment
                } else if !isBlank {
                    state = .key
                    key = [byte]
                    keyEnd = 1
                }
            case .key:
                if isNewline {
                    state = .preKey
                    key = []
                } else if byte == UInt8(ascii: "=") {
                    state = .preValue
                    valueEnd = 0
                } else {
                    key.append(byte)
                    if !isBlank { keyEnd = key.count }
                }
            case .preValue:
                if isNewline {
                    state = .preKey
                    try push()
                } else if byte == UInt8(ascii: "'") {
                    state = .singleQuoted
                } else if byte == UInt8(ascii: "\"") {
                    state = .doubleQuoted
                } else if byte == UInt8(ascii: "\\") {
                    state = .valueEscape
                } else if !isBlank {
                    state = .value
                    value.append(byte)
                    valueEnd = value.count
                }
            case .value:
                if isNewline {
                    state = .preKey
                    value.removeSubrange(valueEnd...)
                    try push()
                } else if byte == UInt8(ascii: "\\") {
                    state = .valueEscape
                } else {
                    value.append(byte)
                    if !isBlank { valueEnd = value.count }
                }
            case .valueEscape:
                state = .value
                if !isNewline {
                    value.append(byte)
                    valueEnd = value.count
                }
            case .singleQuoted:
                if byte == UInt8(ascii: "'") { state = .preValue } else { value.append(byte) }
                valueEnd = value.count
            case .doubleQuoted:
                if byte == UInt8(ascii: "\"") {
                    state = .preValue
                } else if byte == UInt8(ascii: "\\") {
                    state = .doubleQuotedEscape
                } else {
                    value.append(byte)
                }
                valueEnd = value.count
            case .doubleQuotedEscape:
                state = .doubleQuoted
                if "\"\\`$".utf8.contains(byte) {
                    value.append(byte)
                } else if byte != 0x0A {
                    value += [UInt8(ascii: "\\"), byte]
                }
                valueEnd = value.count
            case .comment:
                if isNewline { state = .preKey }
            }
            if byte == 0x0A { line += 1 }
        }
        switch state {
        case .value, .valueEscape:
            value.removeSubrange(valueEnd...)
            try push()
        case .preValue, .singleQuoted, .doubleQuoted, .doubleQuotedEscape:
            try push()
        case .preKey, .key, .comment:
            break
        }
        return fields
    }

    private static func lineNumber(of index: Int, in bytes: [UInt8]) -> Int {
        bytes[..<index].reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
    }
}
