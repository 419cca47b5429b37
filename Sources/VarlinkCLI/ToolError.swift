/// A failure the CLI reports as one line on standard error, with a distinct exit status.
///
/// Every error that reaches the top of a command is converted to this, so users never see a
/// Swift error dump or a stack trace.
struct ToolError: Error, CustomStringConvertible {
    /// The line printed after `varlink: `.
    let message: String
    /// The process exit status.
    let status: ExitStatus

    init(_ message: String, status: ExitStatus) {
        self.message = message
        self.status = status
    }

    var description: String { message }

    static func usage(_ message: String) -> ToolError { ToolError(message, status: .usage) }
}
