/// A failure the CLI reports on stderr before exiting 1, as portablectl does for every error.
package struct CLIError: Error, Sendable, CustomStringConvertible {
    package var message: String
    /// A sentence telling the user what to do about it, printed on its own line.
    package var hint: String?
    package var exitCode: Int32
    /// The message is a whole line as portablectl prints it (a failure before any call, such as
    /// connecting): no verb context goes in front of it.
    package var isWholeLine: Bool

    package init(_ message: String, hint: String? = nil, exitCode: Int32 = 1, isWholeLine: Bool = false) {
        self.message = message
        self.hint = hint
        self.exitCode = exitCode
        self.isWholeLine = isWholeLine
    }

    package var description: String {
        if let hint { return "\(message)\n\(hint)" }
        return message
    }
}

/// Thrown to end the process with a status and no message (`is-attached -q` of a detached image).
package struct SilentExit: Error, Sendable {
    package var code: Int32

    package init(code: Int32) { self.code = code }
}
