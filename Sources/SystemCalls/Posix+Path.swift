#if canImport(Glibc)
import Glibc
#endif

/// The process-wide path calls that have no directory descriptor: the working directory and
/// realpath(3), for command-line tools that turn what the user typed into absolute paths.
package enum ProcessPaths {
    /// getcwd(3): the current directory.
    package static func currentDirectory() throws(SystemCallError) -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else {
            throw SystemCallError(call: "getcwd", errno: Glibc.errno)
        }
        let length = buffer.firstIndex(of: 0) ?? buffer.count
        return String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// realpath(3): `path` with every symlink, `.` and `..` resolved; the file must exist.
    package static func canonical(_ path: String) throws(SystemCallError) -> String {
        guard let resolved = realpath(path, nil) else {
            throw SystemCallError(call: "realpath", errno: Glibc.errno, detail: path)
        }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
