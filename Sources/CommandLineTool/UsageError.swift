/// A command line the tool cannot take: what is wrong, in the words the tool prints, and what to do.
package struct UsageError: Error, Sendable, Equatable, CustomStringConvertible {
    package var message: String
    /// A sentence telling the user what to do about it, printed on its own line.
    package var hint: String?

    package init(_ message: String, hint: String? = nil) {
        self.message = message
        self.hint = hint
    }

    package var description: String {
        if let hint { return "\(message)\n\(hint)" }
        return message
    }
}
