#if canImport(Glibc)
import Glibc
#endif

/// One directory entry as readdir(3) reports it.
package struct DirectoryEntry: Sendable, Hashable {
    package typealias Kind = FileStatus.Kind

    package var name: String
    /// What `d_type` says; `.unknown` when the file system does not fill it in.
    package var kind: Kind
    package var inode: UInt64
}

extension FileDescriptor {
    /// All entries of this directory except `.` and `..`, in readdir order.
    ///
    /// Reads through a duplicate so this descriptor stays open and owned by the caller; names that
    /// are not valid UTF-8 are kept with replacement characters so callers' name validation rejects them.
    package func directoryEntries() throws(SystemCallError) -> [DirectoryEntry] {
        let copy = try openat(".", flags: [.directory, .readOnly])
        guard let stream = fdopendir(copy.rawValue) else {
            let code = Glibc.errno
            copy.close()
            throw SystemCallError(call: "fdopendir", errno: code)
        }
        defer { closedir(stream) }
        var entries: [DirectoryEntry] = []
        while true {
            Glibc.errno = 0
            guard let entry = readdir(stream) else {
                if Glibc.errno != 0 { throw SystemCallError(call: "readdir", errno: Glibc.errno) }
                return entries
            }
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                let bytes = raw.prefix { $0 != 0 }
                return String(decoding: bytes, as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            entries.append(
                DirectoryEntry(
                    name: name,
                    // d_type is the S_IFMT bits of the mode shifted right by 12 (glibc's DTTOIF).
                    kind: DirectoryEntry.Kind(fileTypeBits: UInt32(entry.pointee.d_type) << 12),
                    inode: UInt64(entry.pointee.d_ino)
                )
            )
        }
    }
}
