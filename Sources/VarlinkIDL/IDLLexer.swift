/// Splits IDL text into tokens, collecting doc comments on the way.
///
/// Works on UTF-8 bytes. Accepts every line ending of the grammar (`\n`, `\r\n`, `\r`, U+2028,
/// U+2029) and its Unicode white space. A comment documents the next token when it fills its own
/// line and no blank line comes between; one space after `#` is a separator, not text.
struct IDLLexer {
    private let bytes: [UInt8]
    private var index = 0
    private var line = 1
    private var column = 1
    private var pendingDocumentation: [String] = []
    private var sawLineBreak = true
    /// Whether only white space came before `index` on the current line.
    private var atLineStart = true

    init(_ text: String) { bytes = Array(text.utf8) }

    private var location: SourceLocation { SourceLocation(line: line, column: column, offset: index) }

    /// Produces all tokens, ending with `.endOfFile`.
    mutating func tokenize() throws(Diagnostic) -> [IDLToken] {
        var tokens: [IDLToken] = []
        tokens.reserveCapacity(bytes.count / 4)
        while true {
            let token = try next()
            tokens.append(token)
            if token.kind == .endOfFile { return tokens }
        }
    }

    private mutating func next() throws(Diagnostic) -> IDLToken {
        try skipTrivia()
        let start = location
        guard index < bytes.count else { return make(.endOfFile, at: start) }
        let byte = bytes[index]
        switch byte {
        case UInt8(ascii: "("): return punctuation(.leftParenthesis, at: start)
        case UInt8(ascii: ")"): return punctuation(.rightParenthesis, at: start)
        case UInt8(ascii: "["): return punctuation(.leftBracket, at: start)
        case UInt8(ascii: "]"): return punctuation(.rightBracket, at: start)
        case UInt8(ascii: ","): return punctuation(.comma, at: start)
        case UInt8(ascii: ":"): return punctuation(.colon, at: start)
        case UInt8(ascii: "?"): return punctuation(.questionMark, at: start)
        case UInt8(ascii: "-") where index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: ">"):
            advance(2)
            return make(.arrow, at: start)
        default:
            guard Self.isWordStart(byte) else {
                throw Diagnostic(.error, "unexpected character \(describeCharacter(at: index))", at: start)
            }
            let wordStart = index
            advance(1)
            while index < bytes.count, Self.isWordContinuation(bytes[index]) {
                // `->` ends a word: `Foo()->()` has no space before the arrow.
                if bytes[index] == UInt8(ascii: "-"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: ">") {
                    break
                }
                advance(1)
            }
            var token = make(.word, at: start)
            token.text = String(decoding: bytes[wordStart..<index], as: UTF8.self)
            return token
        }
    }

    private mutating func punctuation(_ kind: IDLToken.Kind, at start: SourceLocation) -> IDLToken {
        advance(1)
        return make(kind, at: start)
    }

    private mutating func make(_ kind: IDLToken.Kind, at start: SourceLocation) -> IDLToken {
        let token = IDLToken(
            kind: kind,
            text: "",
            location: start,
            documentation: pendingDocumentation,
            followsLineBreak: sawLineBreak
        )
        pendingDocumentation = []
        sawLineBreak = false
        atLineStart = false
        return token
    }

    /// Skips white space, line breaks and comments, collecting whole-line comments as documentation.
    private mutating func skipTrivia() throws(Diagnostic) {
        var blankLineCandidate = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x20 || byte == 0x09 {
                advance(1)
            } else if let length = lineBreakLength(at: index) {
                if atLineStart && blankLineCandidate {
                    // A blank line ends a doc block.
                    pendingDocumentation = []
                }
                blankLineCandidate = true
                index += length
                line += 1
                column = 1
                sawLineBreak = true
                atLineStart = true
            } else if byte == UInt8(ascii: "#") {
                let wholeLine = atLineStart
                let text = readComment()
                if wholeLine {
                    pendingDocumentation.append(text)
                    blankLineCandidate = false
                }
            } else if byte >= 0x80, let length = unicodeSpaceLength(at: index) {
                index += length
                column += 1
            } else if byte == 0 {
                throw Diagnostic(.error, "unexpected NUL byte", at: location)
            } else {
                return
            }
        }
    }

    /// Reads a comment up to (not including) the line break; returns its text without `#` and one space.
    private mutating func readComment() -> String {
        advance(1)
        if index < bytes.count, bytes[index] == 0x20 { advance(1) }
        let start = index
        // Comments are most of a documented interface: scan bytes, stop only at a line break.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x0A || byte == 0x0D { break }
            if byte == 0xE2, lineBreakLength(at: index) != nil { break }
            if byte & 0xC0 != 0x80 { column += 1 }
            index += 1
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private func lineBreakLength(at position: Int) -> Int? {
        switch bytes[position] {
        case 0x0A: return 1
        case 0x0D: return position + 1 < bytes.count && bytes[position + 1] == 0x0A ? 2 : 1
        case 0xE2:
            // U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR: E2 80 A8 / E2 80 A9.
            guard position + 2 < bytes.count, bytes[position + 1] == 0x80 else { return nil }
            return bytes[position + 2] == 0xA8 || bytes[position + 2] == 0xA9 ? 3 : nil
        default: return nil
        }
    }

    /// The length of the non-ASCII white space character at `position`, if it is one.
    private func unicodeSpaceLength(at position: Int) -> Int? {
        func byte(_ offset: Int) -> UInt8? { position + offset < bytes.count ? bytes[position + offset] : nil }
        switch bytes[position] {
        case 0xC2 where byte(1) == 0xA0: return 2  // U+00A0
        case 0xEF where byte(1) == 0xBB && byte(2) == 0xBF: return 3  // U+FEFF
        case 0xE1 where byte(1) == 0x9A && byte(2) == 0x80: return 3  // U+1680
        case 0xE1 where byte(1) == 0xA0 && byte(2) == 0x8E: return 3  // U+180E
        case 0xE2:
            guard let second = byte(1), let third = byte(2) else { return nil }
            if second == 0x80 && (0x80...0x8A).contains(third) { return 3 }  // U+2000…U+200A
            if second == 0x80 && third == 0xAF { return 3 }  // U+202F
            if second == 0x81 && third == 0x9F { return 3 }  // U+205F
            return nil
        case 0xE3 where byte(1) == 0x80 && byte(2) == 0x80: return 3  // U+3000
        default: return nil
        }
    }

    private mutating func advance(_ count: Int) {
        index += count
        column += count
    }

    private func describeCharacter(at position: Int) -> String {
        let byte = bytes[position]
        if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        var end = position + 1
        while end < bytes.count, bytes[end] & 0xC0 == 0x80, end - position < 4 { end += 1 }
        let scalars = String(decoding: bytes[position..<end], as: UTF8.self).unicodeScalars
        if byte >= 0x80, let scalar = scalars.first, scalar != "\u{FFFD}" {
            return "U+" + String(String(scalar.value, radix: 16, uppercase: true).paddedLeft(to: 4))
        }
        return "byte 0x" + String(String(byte, radix: 16, uppercase: true).paddedLeft(to: 2))
    }

    static func isWordStart(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_")
    }

    static func isWordContinuation(_ byte: UInt8) -> Bool {
        isWordStart(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
    }
}

extension String {
    fileprivate func paddedLeft(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
