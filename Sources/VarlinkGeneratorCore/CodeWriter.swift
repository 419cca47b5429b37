/// An in-house line writer for generated Swift: indentation by blocks, nothing else.
struct CodeWriter {
    private(set) var output = ""
    private var level = 0

    init() { output.reserveCapacity(64 * 1024) }

    /// Writes one line at the current indentation (an empty string writes a blank line).
    mutating func line(_ text: String = "") {
        if !text.isEmpty {
            for _ in 0..<level { output += "    " }
            output += text
        }
        output += "\n"
    }

    /// Writes `opening {`, the body one level deeper, then `closing`.
    mutating func block(_ opening: String, closing: String = "}", _ body: (inout CodeWriter) -> Void) {
        line(opening + " {")
        level += 1
        body(&self)
        level -= 1
        line(closing)
    }

    /// Writes documentation lines as `///` comments.
    mutating func documentation(_ lines: [String]) {
        for text in lines { line(text.isEmpty ? "///" : "/// " + text) }
    }

    /// Writes raw text verbatim (no indentation), for multi-line string literal contents.
    mutating func raw(_ text: String) { output += text }
}
