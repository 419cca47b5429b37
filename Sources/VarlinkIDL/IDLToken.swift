/// One lexical token of IDL text.
struct IDLToken: Sendable {
    enum Kind: Sendable, Hashable {
        /// A run of name characters: keywords, names, interface names, qualified type names.
        case word
        case leftParenthesis
        case rightParenthesis
        case leftBracket
        case rightBracket
        case comma
        case colon
        case questionMark
        case arrow
        case endOfFile
    }

    var kind: Kind
    /// The token's text (words only; empty for punctuation).
    var text: String
    var location: SourceLocation
    /// Documentation lines from whole-line `#` comments directly before this token.
    var documentation: [String]
    /// Whether a line break separates this token from the previous one.
    var followsLineBreak: Bool

    /// How the token is shown in "expected …, found …" messages.
    var quoted: String {
        switch kind {
        case .word: return "'\(text)'"
        case .leftParenthesis: return "'('"
        case .rightParenthesis: return "')'"
        case .leftBracket: return "'['"
        case .rightBracket: return "']'"
        case .comma: return "','"
        case .colon: return "':'"
        case .questionMark: return "'?'"
        case .arrow: return "'->'"
        case .endOfFile: return "end of file"
        }
    }
}
