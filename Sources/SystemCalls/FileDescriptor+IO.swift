internal import CLinuxShims

#if canImport(Glibc)
import Glibc
#endif

extension FileDescriptor {
    /// read(2) into `buffer`; returns the byte count (0 at end of file). A non-blocking descriptor
    /// with nothing to read throws `EAGAIN`.
    package func read(into buffer: UnsafeMutableRawBufferPointer) throws(SystemCallError) -> Int {
        // Posix.read is the one place read(2) is called; this is its blocking-style face.
        switch try Posix.read(rawValue, into: buffer) {
        case .done(let count): return count
        case .wouldBlock: throw SystemCallError(call: "read", errno: EAGAIN)
        }
    }

    /// read(2) into the start of `buffer`; returns the byte count (0 at end of file).
    package func read(into buffer: inout [UInt8]) throws(SystemCallError) -> Int {
        // withUnsafeMutableBytes only rethrows untyped errors, so the call reports through a Result.
        try buffer.withUnsafeMutableBytes { raw in
            Result { () throws(SystemCallError) -> Int in try read(into: raw) }
        }.get()
    }

    /// Reads to end of file, refusing more than `limit` bytes (`EFBIG`) so a huge or endless file
    /// (a FIFO fed forever, a sparse multi-terabyte file) cannot exhaust memory.
    package func readAll(limit: Int) throws(SystemCallError) -> [UInt8] {
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = try read(into: &chunk)
            if count == 0 { return result }
            if result.count + count > limit { throw SystemCallError(call: "read", errno: EFBIG) }
            result.append(contentsOf: chunk[0..<count])
        }
    }

    /// Copies everything from this descriptor's position to end of file into `output`.
    package func copyAll(to output: FileDescriptor) throws(SystemCallError) {
        var buffer = [UInt8](repeating: 0, count: 128 * 1024)
        while true {
            let count = try read(into: &buffer)
            if count == 0 { return }
            try output.writeAll(buffer[0..<count])
        }
    }

    /// `pread`: reads up to `count` bytes at `offset` without moving the file position, so several
    /// readers can share one descriptor. Returns fewer bytes only at end of file.
    package func read(atOffset offset: UInt64, count: Int) throws(SystemCallError) -> [UInt8] {
        guard count > 0 else { return [] }
        guard offset <= UInt64(Int64.max) else {
            throw SystemCallError(call: "pread", errno: EINVAL, detail: "offset \(offset)")
        }
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let position = off_t(offset) + off_t(filled)
            let result: Result<Int, SystemCallError> = bytes.withUnsafeMutableBytes { buffer in
                Result { () throws(SystemCallError) -> Int in
                    try Syscall.retrying("pread") {
                        Glibc.pread(rawValue, buffer.baseAddress! + filled, count - filled, position)
                    }
                }
            }
            let got = try result.get()
            if got == 0 { break }
            filled += got
        }
        if filled < count { bytes.removeSubrange(filled...) }
        return bytes
    }

    /// Writes every byte of `buffer`, retrying short writes. A non-blocking descriptor that cannot
    /// take more throws `EAGAIN`.
    package func writeAll(_ buffer: UnsafeRawBufferPointer) throws(SystemCallError) {
        var offset = 0
        while offset < buffer.count {
            // Posix.write is the one place write(2) is called.
            switch try Posix.write(rawValue, UnsafeRawBufferPointer(rebasing: buffer[offset...])) {
            case .done(let written): offset += written
            case .wouldBlock: throw SystemCallError(call: "write", errno: EAGAIN)
            }
        }
    }

    /// Writes every byte, retrying short writes.
    package func writeAll(_ bytes: some Collection<UInt8>) throws(SystemCallError) {
        let result = bytes.withContiguousStorageIfAvailable { storage in
            Result { () throws(SystemCallError) in try writeAll(UnsafeRawBufferPointer(storage)) }
        }
        if let result { return try result.get() }
        try Array(bytes).withUnsafeBytes { raw in
            Result { () throws(SystemCallError) in try writeAll(raw) }
        }.get()
    }

    /// isatty(3): whether this descriptor is a terminal.
    package var isTerminal: Bool { isatty(rawValue) == 1 }

    /// fsync(2).
    package func sync() throws(SystemCallError) {
        _ = try Syscall.retrying("fsync") { fsync(rawValue) }
    }

    /// fchmod(2).
    package func changeMode(to mode: UInt32) throws(SystemCallError) {
        _ = try Syscall.retrying("fchmod") { fchmod(rawValue, mode_t(mode)) }
    }

    /// flock(2) modes.
    package enum LockMode: Sendable {
        case shared, exclusive

        var operation: Int32 { self == .shared ? LOCK_SH : LOCK_EX }
    }

    /// flock(2). With `wait: false` returns `false` instead of blocking when someone else holds it.
    @discardableResult
    package func lock(_ mode: LockMode, wait: Bool = true) throws(SystemCallError) -> Bool {
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
    package func unlock() {
        _ = flock(rawValue, LOCK_UN)
    }

    /// fgetxattr(2) of a small attribute; `nil` when it does not exist (or xattrs are unsupported).
    package func extendedAttribute(_ name: String, limit: Int = 4096) throws(SystemCallError) -> [UInt8]? {
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
    package func setExtendedAttribute(_ name: String, value: [UInt8]) throws(SystemCallError) {
        _ = try Syscall.retrying("fsetxattr", detail: name) {
            value.withUnsafeBytes { berth_fsetxattr(rawValue, name, $0.baseAddress, $0.count, 0) }
        }
    }
}
