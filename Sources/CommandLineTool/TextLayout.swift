/// Help's text layout: paragraphs wrapped to the terminal's usual 80 columns, example lines (indented)
/// kept as written, and two-column lists of labels and their texts.
package enum TextLayout {
    package static let width = 80
    /// Free-standing paragraphs stop a column earlier, as ArgumentParser's help did.
    package static let paragraphWidth = 79
    /// Where the text of a two-column row starts.
    package static let textColumn = 26

    /// `text` wrapped to `width`, every line starting with `indent` spaces. Lines of `text` that start
    /// with a space are examples and stay as they are (indented too); empty lines separate paragraphs.
    package static func wrap(_ text: String, indent: Int = 0, width: Int = width) -> String {
        var lines: [String] = []
        let margin = String(repeating: " ", count: indent)
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.first == " " || line.isEmpty {
                lines.append(line.isEmpty ? "" : margin + line)
                continue
            }
            var current = ""
            for word in line.split(separator: " ") {
                if !current.isEmpty && indent + current.count + 1 + word.count > width {
                    lines.append(margin + current)
                    current = ""
                }
                current += current.isEmpty ? String(word) : " " + word
            }
            lines.append(margin + current)
        }
        return lines.joined(separator: "\n")
    }

    /// `  label   text…`, the text wrapped in its column; a label too wide for the first column gets a
    /// line of its own.
    package static func row(_ label: String, _ text: String) -> String {
        let body = wrap(text, indent: textColumn)
        let start = "  " + label
        guard start.count < textColumn else { return start + "\n" + body }
        let padding = String(repeating: " ", count: textColumn - start.count)
        return start + padding + body.dropFirst(textColumn)
    }
}
