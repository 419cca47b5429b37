#if canImport(Glibc)
import Glibc
#endif

/// A raw call's outcome captured inside a non-throwing closure (such as `withUnsafeBytes`),
/// so typed throws survive the closure boundary.
public enum SyscallResult<T: BinaryInteger & Sendable>: Sendable {
    case value(T)
    case failure(errno: Int32)

    /// The value, or a `SystemCallError` naming `call`.
    public func get(_ call: String, detail: String? = nil) throws(SystemCallError) -> T {
        switch self {
        case .value(let value): return value
        case .failure(let code): throw SystemCallError(call: call, errno: code, detail: detail)
        }
    }
}

extension Syscall {
    /// Runs `body` until it stops failing with `EINTR` and captures the result without throwing.
    @inline(__always)
    public static func result<T: BinaryInteger & Sendable>(_ body: () -> T) -> SyscallResult<T> {
        while true {
            let result = body()
            if result != -1 { return .value(result) }
            let code = Glibc.errno
            if code != EINTR { return .failure(errno: code) }
        }
    }
}
