package import SystemCalls

/// Random-access reads from an untrusted image: every read is bounds-checked against `size`, and a
/// short read is an error, so parsers never see partially filled buffers.
package protocol ByteReader {
    /// Total size in bytes (file size or block-device size).
    var size: UInt64 { get }
    /// Exactly `count` bytes at `offset`, or throws.
    func read(at offset: UInt64, count: Int) throws(DiskImageError) -> [UInt8]
}

extension ByteReader {
    /// Whether `[offset, offset + count)` lies inside the image (overflow-safe).
    func contains(offset: UInt64, count: UInt64) -> Bool {
        offset <= size && count <= size - offset
    }
}

/// Reads an open image file or block device with `pread`.
package struct FileByteReader: ByteReader {
    package let descriptor: FileDescriptor
    package let size: UInt64
    /// The image path, for error messages.
    package let path: String

    package func read(at offset: UInt64, count: Int) throws(DiskImageError) -> [UInt8] {
        guard count >= 0, contains(offset: offset, count: UInt64(count)) else {
            throw DiskImageError(path: path, reason: .truncated("read of \(count) bytes at \(offset) is past the end"))
        }
        let bytes: [UInt8]
        do {
            bytes = try descriptor.read(atOffset: offset, count: count)
        } catch {
            throw DiskImageError(path: path, reason: .io(error))
        }
        guard bytes.count == count else {
            throw DiskImageError(path: path, reason: .truncated("short read at offset \(offset)"))
        }
        return bytes
    }
}

/// An image held in memory: for tests and fuzzing the parsers without files.
package struct MemoryByteReader: ByteReader {
    package let bytes: [UInt8]
    package var size: UInt64 { UInt64(bytes.count) }

    package init(_ bytes: [UInt8]) { self.bytes = bytes }

    package func read(at offset: UInt64, count: Int) throws(DiskImageError) -> [UInt8] {
        guard count >= 0, contains(offset: offset, count: UInt64(count)) else {
            throw DiskImageError(
                path: "<memory>",
                reason: .truncated("read of \(count) bytes at \(offset) is past the end")
            )
        }
        let start = Int(offset)
        return Array(bytes[start..<start + count])
    }
}

/// Little-endian field access into a byte array, bounds-checked by the caller's fixed layouts.
extension Array where Element == UInt8 {

    func littleEndian32(at index: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(self[index + $1]) << (8 * UInt32($1)) }
    }

    func littleEndian64(at index: Int) -> UInt64 {
        (0..<8).reduce(UInt64(0)) { $0 | UInt64(self[index + $1]) << (8 * UInt64($1)) }
    }
}
