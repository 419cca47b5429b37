import SystemCalls

/// Buffered stdout/stderr writers. Output is collected and written with one `write(2)` so
/// that a CLI process costs as few syscalls as possible (attach/detach are benchmarked whole).
package struct Terminal: Sendable {
    package static func out(_ text: String) { write(text.utf8, to: .standardOutput) }
    package static func err(_ text: String) { write(text.utf8, to: .standardError) }
    package static func out(bytes: [UInt8]) { write(bytes, to: .standardOutput) }

    /// Non-fatal problems of an operation, one per line on stderr (kept even in JSON mode).
    package static func warn(_ warnings: [String], quiet: Bool) {
        guard !quiet, !warnings.isEmpty else { return }
        err(warnings.map { $0 + "\n" }.joined())
    }

    /// Whether stdout is a terminal (colours and pagers only make sense then).
    package static var stdoutIsTerminal: Bool { FileDescriptor.standardOutput.isTerminal }

    private static func write(_ bytes: some Collection<UInt8>, to stream: FileDescriptor) {
        // EPIPE etc.: nobody is listening any more, and there is nobody left to tell.
        try? stream.writeAll(bytes)
    }
}
