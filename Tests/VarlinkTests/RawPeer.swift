import SystemCalls
import VarlinkJSON

#if canImport(Glibc)
import Glibc
#endif

/// A byte-level client: writes exactly what a test says and reads raw NUL-terminated messages.
/// Every wait is bounded (5 s) so a broken server fails a test instead of hanging it.
final class RawPeer: @unchecked Sendable {  // used by one test task at a time
    let fd: Int32
    private var buffer: [UInt8] = []
    private(set) var receivedDescriptors: [Int32] = []

    init(abstract name: String) async throws {
        let fd = try Posix.unixStreamSocket(nonBlocking: true)
        do {
            try Posix.connectUnix(fd, name: name, abstract: true)
        } catch {
            Posix.close(fd)
            throw error
        }
        self.fd = fd
    }

    init(descriptor: Int32) { fd = descriptor }

    deinit {
        Posix.close(fd)
        for fd in receivedDescriptors { Posix.close(fd) }
    }

    /// Half-closes: the server sees end of input.
    func close() { Posix.shutdownSocket(fd) }

    func send(_ text: String) async throws { try await send(Array(text.utf8)) }

    func send(_ bytes: [UInt8], fileDescriptors: [Int32] = []) async throws {
        let fd = self.fd
        try await offPool {
            var offset = 0
            var fds = fileDescriptors
            while offset < bytes.count {
                let result = try bytes.withUnsafeBytes { raw in
                    try Posix.send(fd, UnsafeRawBufferPointer(rebasing: raw[offset...]), fileDescriptors: fds)
                }
                switch result {
                case .done(let count):
                    offset += count
                    fds = []
                case .wouldBlock:
                    guard try Posix.poll(fd, for: .writable, timeoutMilliseconds: 5000) else {
                        throw TestFailure("send timed out")
                    }
                }
            }
        }
    }

    /// Sends each byte with its own write.
    func sendByteByByte(_ text: String) async throws {
        for byte in text.utf8 { try await send([byte]) }
    }

    /// The next message as text, or `nil` when the server closed the connection.
    func receive(timeoutMilliseconds: Int32 = 5000) async throws -> String? {
        while true {
            if let end = buffer.firstIndex(of: 0) {
                let message = String(decoding: buffer[..<end], as: UTF8.self)
                buffer.removeFirst(end + 1)
                return message
            }
            guard let chunk = try await readChunk(timeoutMilliseconds: timeoutMilliseconds) else { return nil }
            buffer.append(contentsOf: chunk)
        }
    }

    /// The next message parsed as a JSON object.
    func receiveObject() async throws -> JSONObject {
        guard let text = try await receive() else { throw TestFailure("connection closed, expected a reply") }
        guard case .object(let object) = try JSONParser.parse(text) else {
            throw TestFailure("reply is not an object: \(text)")
        }
        return object
    }

    /// Whether the server closes the connection (EOF or reset) within the timeout; data read meanwhile is dropped.
    func waitForClose(timeoutMilliseconds: Int32 = 5000) async throws -> Bool {
        buffer.removeAll()
        do {
            while try await readChunk(timeoutMilliseconds: timeoutMilliseconds) != nil {}
            return true
        } catch let error as SystemCallError where error.errno == ECONNRESET {
            return true
        } catch is TimeoutError {
            return false
        }
    }

    /// Whether anything arrives within the timeout (for "no reply" checks).
    func hasData(withinMilliseconds timeout: Int32) async throws -> Bool {
        if !buffer.isEmpty { return true }
        let fd = self.fd
        return try await offPool { try Posix.poll(fd, for: .readable, timeoutMilliseconds: timeout) }
    }

    struct TimeoutError: Error {}

    private func readChunk(timeoutMilliseconds: Int32) async throws -> [UInt8]? {
        let fd = self.fd
        let (bytes, fds): ([UInt8]?, [Int32]) = try await offPool {
            var scratch = [UInt8](repeating: 0, count: 65536)
            while true {
                let result = try scratch.withUnsafeMutableBytes { try Posix.receive(fd, into: $0) }
                switch result {
                case .done(let chunk):
                    if chunk.byteCount == 0 { return (nil, chunk.fileDescriptors) }
                    return (Array(scratch[0..<chunk.byteCount]), chunk.fileDescriptors)
                case .wouldBlock:
                    guard try Posix.poll(fd, for: .readable, timeoutMilliseconds: timeoutMilliseconds) else {
                        throw TimeoutError()
                    }
                }
            }
        }
        receivedDescriptors.append(contentsOf: fds)
        return bytes
    }
}
