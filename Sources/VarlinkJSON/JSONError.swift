/// Why a byte sequence is not acceptable JSON, and where the parser noticed.
public struct JSONError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The class of problem.
    public enum Kind: Sendable, Hashable {
        /// The input ended inside a value (or was empty).
        case unexpectedEnd
        /// A byte that cannot start or continue the value at this point.
        case unexpectedByte(UInt8)
        /// Bytes that are not well-formed UTF-8 (including overlong forms and encoded surrogates).
        case invalidUTF8
        /// A backslash escape other than the eight RFC 8259 defines, or a malformed `\u` escape.
        case invalidEscape
        /// A `\u` escape naming half of a surrogate pair without its other half.
        case loneSurrogate
        /// A raw control character (below U+0020) inside a string.
        case controlCharacterInString
        /// A number with a superfluous leading zero, such as `01`.
        case leadingZero
        /// A number that does not follow the grammar (`-`, `1.`, `1e`).
        case invalidNumber
        /// A number too large for a finite `Double`, such as `1e400`.
        case numberOutOfRange
        /// An object naming the same key twice.
        case duplicateKey(String)
        /// A comma directly before `]` or `}`.
        case trailingComma
        /// Non-whitespace after the top-level value.
        case trailingData
        /// Arrays and objects nested deeper than the limit.
        case depthLimitExceeded(limit: Int)
        /// The input is longer than the limit.
        case sizeLimitExceeded(limit: Int)
    }

    /// The class of problem.
    public var kind: Kind
    /// The byte offset in the input where the problem was detected.
    public var offset: Int

    public init(_ kind: Kind, at offset: Int) {
        self.kind = kind
        self.offset = offset
    }

    /// A one-line explanation, for logs and CLI output.
    public var description: String { "\(kind.message) at byte offset \(offset)" }
}

extension JSONError.Kind {
    /// A human-readable explanation without the position.
    public var message: String {
        switch self {
        case .unexpectedEnd: return "unexpected end of input"
        case .unexpectedByte(let byte): return "unexpected \(Self.describe(byte))"
        case .invalidUTF8: return "invalid UTF-8"
        case .invalidEscape: return "invalid escape sequence in string"
        case .loneSurrogate: return "unpaired UTF-16 surrogate in \\u escape"
        case .controlCharacterInString: return "unescaped control character in string"
        case .leadingZero: return "number has a leading zero"
        case .invalidNumber: return "malformed number"
        case .numberOutOfRange: return "number out of range"
        case .duplicateKey(let key): return "duplicate object key \"\(key)\""
        case .trailingComma: return "trailing comma"
        case .trailingData: return "unexpected data after the JSON value"
        case .depthLimitExceeded(let limit): return "nesting deeper than \(limit) levels"
        case .sizeLimitExceeded(let limit): return "input longer than \(limit) bytes"
        }
    }

    private static func describe(_ byte: UInt8) -> String {
        if byte >= 0x21 && byte < 0x7F { return "character '\(Character(Unicode.Scalar(byte)))'" }
        let hex = String(byte, radix: 16, uppercase: true)
        return "byte 0x\(hex.count == 1 ? "0" + hex : hex)"
    }
}
