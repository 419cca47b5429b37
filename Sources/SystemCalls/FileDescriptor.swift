#if canImport(Glibc)
import Glibc
#endif

/// A file descriptor number, owned by whoever holds it.
///
/// A plain value type so it can cross module and concurrency boundaries cheaply; the owner closes it
/// (typically with `defer { fd.close() }`). Wrappers that open files return one of these. Calls that
/// also exist for plain `Int32` descriptors (close, dup, read, write) go through those `Posix` wrappers,
/// so each C function is still called from one place.
public struct FileDescriptor: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int32

    public init(rawValue: Int32) {
        self.rawValue = rawValue
    }

    /// `AT_FDCWD`, for the `*at` calls with paths relative to the working directory.
    public static let currentWorkingDirectory = FileDescriptor(rawValue: AT_FDCWD)

    /// The process's standard input, output and error.
    public static let standardInput = FileDescriptor(rawValue: 0)
    public static let standardOutput = FileDescriptor(rawValue: 1)
    public static let standardError = FileDescriptor(rawValue: 2)

    public var description: String { "fd \(rawValue)" }

    /// Closes the descriptor. `EINTR` is not retried: on Linux the descriptor is gone either way.
    public func close() {
        Posix.close(rawValue)
    }

    /// A second descriptor for the same open file description, close-on-exec.
    public func duplicate() throws(SystemCallError) -> FileDescriptor {
        FileDescriptor(rawValue: try Posix.duplicate(rawValue))
    }
}
