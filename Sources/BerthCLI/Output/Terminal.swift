#if canImport(Glibc)
import Glibc
#endif

/// Buffered stdout/stderr writers. Output is collected and written with one `write(2)` so
/// that a CLI process costs as few syscalls as possible (attach/detach are benchmarked whole).
package struct Terminal: Sendable {
    package static func out(_ text: String) { write(text, to: 1) }
    package static func err(_ text: String) { write(text, to: 2) }
    package static func out(bytes: [UInt8]) { write(bytes, to: 1) }

    /// Non-fatal problems of an operation, one per line on stderr (kept even in JSON mode).
    package static func warn(_ warnings: [String], quiet: Bool) {
        guard !quiet, !warnings.isEmpty else { return }
        err(warnings.map { $0 + "\n" }.joined())
    }

    /// Whether stdout is a terminal (colours and pagers only make sense then).
    package static var stdoutIsTerminal: Bool { isatty(1) == 1 }

    private static func write(_ text: String, to fd: Int32) {
        var text = text
        text.withUTF8 { buffer in
            guard let base = buffer.baseAddress else { return }
            writeAll(UnsafeRawBufferPointer(start: base, count: buffer.count), to: fd)
        }
    }

    private static func write(_ bytes: [UInt8], to fd: Int32) {
        bytes.withUnsafeBytes { writeAll($0, to: fd) }
    }

    private static func writeAll(_ buffer: UnsafeRawBufferPointer, to fd: Int32) {
        guard var pointer = buffer.baseAddress else { return }
        var remaining = buffer.count
        while remaining > 0 {
            let written = Glibc.write(fd, pointer, remaining)
            if written < 0 {
                if errno == EINTR { continue }
                return  // EPIPE etc.: nobody is listening any more.
            }
            pointer += written
            remaining -= written
        }
    }
}
