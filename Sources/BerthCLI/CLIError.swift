/// A failure the CLI reports on stderr before exiting 1, as portablectl does for every error.
package struct CLIError: Error, Sendable, CustomStringConvertible {
    package var message: String
    /// A sentence telling the user what to do about it, printed on its own line.
    package var hint: String?
    package var exitCode: Int32

    package init(_ message: String, hint: String? = nil, exitCode: Int32 = 1) {
        self.message = message
        self.hint = hint
        self.exitCode = exitCode
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
