internal import CLinuxShims

#if canImport(Glibc)
import Glibc
#endif

extension FileDescriptor {
    /// read(2) into `buffer`; returns the byte count (0 at end of file).
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(SystemCallError) -> Int {
        try Syscall.retrying("read") { Glibc.read(rawValue, buffer.baseAddress, buffer.count) }
    }

    /// Reads to end of file, refusing more than `limit` bytes (`EFBIG`) so a huge or endless file
    /// (a FIFO fed forever, a sparse multi-terabyte file) cannot exhaust memory.
    public func readAll(limit: Int) throws(SystemCallError) -> [UInt8] {
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = try chunk.withUnsafeMutableBytes { raw in
                Syscall.result { Glibc.read(rawValue, raw.baseAddress, raw.count) }
            }.get("read")
            if count == 0 { return result }
            if result.count + count > limit { throw SystemCallError(call: "read", errno: EFBIG) }
            result.append(contentsOf: chunk[0..<count])
        }
    }

    /// Writes every byte, retrying short writes.
    public func writeAll(_ bytes: some Collection<UInt8>) throws(SystemCallError) {
        let array = Array(bytes)
        var offset = 0
        while offset < array.count {
            let written = try array.withUnsafeBytes { raw in
                Syscall.result { Glibc.write(rawValue, raw.baseAddress! + offset, raw.count - offset) }
            }.get("write")
            offset += written
        }
    }

    /// fsync(2).
    public func sync() throws(SystemCallError) {
        _ = try Syscall.retrying("fsync") { fsync(rawValue) }
    }

    /// fdatasync(2).
    public func syncData() throws(SystemCallError) {
        _ = try Syscall.retrying("fdatasync") { fdatasync(rawValue) }
    }

    /// fchmod(2).
    public func changeMode(to mode: UInt32) throws(SystemCallError) {
        _ = try Syscall.retrying("fchmod") { fchmod(rawValue, mode_t(mode)) }
    }

    /// flock(2) modes.
    public enum LockMode: Sendable {
        case shared, exclusive

        var operation: Int32 { self == .shared ? LOCK_SH : LOCK_EX }
    }

    /// flock(2). With `wait: false` returns `false` instead of blocking when someone else holds it.
    @discardableResult
    public func lock(_ mode: LockMode, wait: Bool = true) throws(SystemCallError) -> Bool {
        let operation = mode.operation | (wait ? 0 : LOCK_NB)
        while true {
            if flock(rawValue, operation) == 0 { return true }
            let code = Glibc.errno
            if code == EINTR { continue }
            if code == EWOULDBLOCK && !wait { return false }
            throw SystemCallError(call: "flock", errno: code)
        }
    }

    /// flock(2) `LOCK_UN`.
    public func unlock() {
        _ = flock(rawValue, LOCK_UN)
    }

    /// fgetxattr(2) of a small attribute; `nil` when it does not exist (or xattrs are unsupported).
    public func extendedAttribute(_ name: String, limit: Int = 4096) throws(SystemCallError) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: limit)
        let count = buffer.withUnsafeMutableBytes { berth_fgetxattr(rawValue, name, $0.baseAddress, $0.count) }
        if count < 0 {
            let code = Glibc.errno
            if code == ENODATA || code == ENOTSUP { return nil }
            throw SystemCallError(call: "fgetxattr", errno: code, detail: name)
        }
        return Array(buffer[0..<count])
    }

    /// fsetxattr(2).
    public func setExtendedAttribute(_ name: String, value: [UInt8]) throws(SystemCallError) {
        _ = try Syscall.retrying("fsetxattr", detail: name) {
            value.withUnsafeBytes { berth_fsetxattr(rawValue, name, $0.baseAddress, $0.count, 0) }
        }
    }
}
