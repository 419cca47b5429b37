#if canImport(Glibc)
import Glibc
#endif

/// Key material (passphrase, key file contents) that is wiped when the last reference goes away.
///
/// A class so the bytes live in exactly one buffer that is never copied implicitly; `description`
/// never shows the contents, so logging a value by accident leaks nothing.
package final class SecretBytes: @unchecked Sendable, CustomStringConvertible {
    private var storage: [UInt8]

    /// Takes over `bytes`; the caller should not keep its own copy.
    package init(_ bytes: consuming [UInt8]) {
        storage = bytes
    }

    package convenience init(utf8 string: String) {
        self.init(Array(string.utf8))
    }

    package var count: Int { storage.count }
    package var isEmpty: Bool { storage.isEmpty }

    /// Runs `body` with the raw bytes; the pointer must not escape.
    package func withBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        // withUnsafeBytes only rethrows untyped errors, so the result travels through a Result.
        let result: Result<R, E> = storage.withUnsafeBytes { buffer in
            Result { () throws(E) -> R in try body(buffer) }
        }
        return try result.get()
    }

    /// Zeroes the bytes now (also done on deinit).
    package func wipe() {
        storage.withUnsafeMutableBytes { buffer in
            if let base = buffer.baseAddress { explicit_bzero(base, buffer.count) }
        }
    }

    package var description: String { "SecretBytes(\(storage.count) bytes, redacted)" }

    deinit { wipe() }
}
