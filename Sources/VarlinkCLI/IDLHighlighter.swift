/// Colours interface definition text for a terminal: keywords, declared names, types, comments.
///
/// Works on the text (line by line, word by word) rather than the AST so it can also colour
/// text the parser rejected. Without colour it returns the text unchanged.
struct IDLHighlighter {
    let terminal: Terminal

    private static let keywords: Set<Substring> = ["interface", "type", "method", "error"]
    private static let builtinTypes: Set<Substring> = ["bool", "int", "float", "string", "object", "any"]

    func highlight(_ text: String) -> String {
        guard terminal.usesColor else { return text }
        return text.split(separator: "\n", omittingEmptySubsequences: false)
            .map(highlight(line:))
            .joined(separator: "\n")
    }

    private func highlight(line: Substring) -> String {
        var result = ""
        var index = line.startIndex
        var firstWord = true
        var declaresName = false
        while index < line.endIndex {
            let character = line[index]
            if character == "#" {
                result += terminal.styled(String(line[index...]), .comment)
                break
            }
            guard character.isWordCharacter else {
                result.append(character)
                index = line.index(after: index)
                continue
            }
            var end = index
            while end < line.endIndex, line[end].isWordCharacter { end = line.index(after: end) }
            let word = line[index..<end]
            if firstWord && Self.keywords.contains(word) {
                result += terminal.styled(String(word), .keyword)
                declaresName = true
            } else if declaresName {
                result += terminal.styled(String(word), .name)
                declaresName = false
            } else if Self.builtinTypes.contains(word) || word.first?.isUppercase == true {
                result += terminal.styled(String(word), .type)
            } else {
                result += word
            }
            firstWord = false
            index = end
        }
        return result
    }
}

extension Character {
    /// Letters, digits, `_` and `.` (qualified interface names are one word).
    fileprivate var isWordCharacter: Bool { isASCIILetter || isASCIIDigit || self == "_" || self == "." }
}
