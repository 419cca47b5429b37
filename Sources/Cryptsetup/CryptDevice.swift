internal import CCryptsetup
package import SystemCalls

/// The single owner of a libcryptsetup `crypt_device` context; freed when the owner goes away.
///
/// `~Copyable` so the pointer can never be freed twice or used after `crypt_free`.
package struct CryptDevice: ~Copyable {
    let handle: OpaquePointer
    /// The loaded libcryptsetup every call goes through.
    let library: CryptLibrary
    /// Collects libcryptsetup's error lines so thrown errors can carry its explanation.
    let log: CryptLogBuffer

    /// `crypt_init(device)`: `device` may be a block device or a regular file (read in place).
    package init(device: String) throws(SystemCallError) {
        let library = try CryptLibrary.load()
        var pointer: OpaquePointer?
        let result = library.initialize(&pointer, device)
        guard result >= 0, let pointer else { throw SystemCallError(call: "crypt_init", errno: -result) }
        self.init(adopting: pointer, library: library)
    }

    /// `crypt_init_data_device(hash, data)`: for dm-verity, where the hash tree lives elsewhere.
    package init(hashDevice: String, dataDevice: String) throws(SystemCallError) {
        let library = try CryptLibrary.load()
        var pointer: OpaquePointer?
        let result = library.initializeDataDevice(&pointer, hashDevice, dataDevice)
        guard result >= 0, let pointer else {
            throw SystemCallError(call: "crypt_init_data_device", errno: -result)
        }
        self.init(adopting: pointer, library: library)
    }

    private init(adopting pointer: OpaquePointer, library: CryptLibrary) {
        handle = pointer
        self.library = library
        log = CryptLogBuffer(attachedTo: pointer, library: library)
    }

    deinit {
        library.free(handle)
    }

    /// The loaded header type (`"LUKS2"`, `"VERITY"`, …), nil before a successful load.
    package var type: String? {
        guard let type = library.getType(handle) else { return nil }
        return String(cString: type)
    }

    /// Turns a negative-errno result into a thrown error carrying libcryptsetup's last log line.
    @discardableResult
    func check(_ call: String, _ result: Int32) throws(SystemCallError) -> Int32 {
        let value = try Syscall.checkNegativeErrno(call, detail: log.takeLastError(), result)
        log.clear()
        return value
    }
}

/// Receives libcryptsetup log lines for one device. Only error lines are kept, and only the last
/// few, because libcryptsetup never logs key material but can be chatty.
final class CryptLogBuffer: @unchecked Sendable {
    private var lines: [String] = []

    init(attachedTo device: OpaquePointer, library: CryptLibrary) {
        library.setLogCallback(
            device,
            { level, message, context in
                guard level == CRYPT_LOG_ERROR, let message, let context else { return }
                let buffer = Unmanaged<CryptLogBuffer>.fromOpaque(context).takeUnretainedValue()
                buffer.append(String(cString: message))
            },
            Unmanaged.passUnretained(self).toOpaque()
        )
    }

    func append(_ line: String) {
        var trimmed = Substring(line)
        while let last = trimmed.last, last.isNewline || last == " " { trimmed.removeLast() }
        lines.append(String(trimmed))
        if lines.count > 8 { lines.removeFirst() }
    }

    func takeLastError() -> String? {
        defer { lines.removeAll() }
        return lines.last
    }

    func clear() { lines.removeAll() }
}
