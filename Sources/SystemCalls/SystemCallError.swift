#if canImport(Glibc)
import Glibc
#endif

/// A failed system call: which call, and the `errno` it left.
///
/// Every wrapper in this module throws this type, so callers can match on `errno`
/// (`error.errno == ENOENT`) and still print which call failed.
public struct SystemCallError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The C function that failed, e.g. `"openat2"`.
    public var call: String
    /// The `errno` value.
    public var errno: Int32
    /// Optional context, such as the path the call was about.
    public var detail: String?

    public init(call: String, errno: Int32, detail: String? = nil) {
        self.call = call
        self.errno = errno
        self.detail = detail
    }

    /// The C library's text for `errno`.
    public var message: String { String(cString: strerror(errno)) }

    public var description: String {
        if let detail { return "\(call)(\(detail)): \(message)" }
        return "\(call): \(message)"
    }
}

/// Namespace for the raw-call helpers every wrapper goes through.
package enum Syscall {
    /// Runs `body` until it stops failing with `EINTR`; a result of `-1` throws with `errno`.
    @inline(__always)
    package static func retrying<T: BinaryInteger>(
        _ call: String,
        detail: @autoclosure () -> String? = nil,
        _ body: () -> T
    ) throws(SystemCallError) -> T {
        while true {
            let result = body()
            if result != -1 { return result }
            let code = Glibc.errno
            if code == EINTR { continue }
            throw SystemCallError(call: call, errno: code, detail: detail())
        }
    }

    /// Converts a libsystemd/libcryptsetup style result (negative errno on failure).
    @inline(__always)
    package static func checkNegativeErrno<T: SignedInteger>(
        _ call: String,
        detail: @autoclosure () -> String? = nil,
        _ result: T
    ) throws(SystemCallError) -> T {
        if result < 0 {
            throw SystemCallError(call: call, errno: Int32(truncatingIfNeeded: 0 - result), detail: detail())
        }
        return result
    }
}
