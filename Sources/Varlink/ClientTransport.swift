import SystemCalls
import VarlinkJSON

#if canImport(Glibc)
import Glibc
#endif

/// The client's socket with its read buffer. Used by one operation at a time (the client's
/// `AsyncLock` guarantees it), from whichever thread runs that operation; hence `@unchecked Sendable`.
final class ClientTransport: @unchecked Sendable {
    let fd: Int32
    let maximumMessageSize: Int
    private var buffer: [UInt8] = []
    private var start = 0
    private var scanned = 0
    private var base = 0
    private var descriptors: [(offset: Int, fds: [Int32])] = []
    /// Why the transport became unusable; `nil` while it is usable. Complete replies that arrived
    /// before the break are still delivered, then this is thrown.
    private var brokenReason: VarlinkConnectionError?
    var isBroken: Bool { brokenReason != nil }
    private var scratch = [UInt8](repeating: 0, count: 64 << 10)

    init(fd: Int32, maximumMessageSize: Int) {
        self.fd = fd
        self.maximumMessageSize = maximumMessageSize
    }

    deinit {
        for entry in descriptors { for fd in entry.fds { Posix.close(fd) } }
    }

    /// Marks the transport unusable (stream position unknown) and wakes any blocked reader.
    func breakConnection(reason: VarlinkConnectionError = .notConnected) {
        if brokenReason == nil { brokenReason = reason }
        Posix.shutdownSocket(fd)
    }

    /// Marks the transport unusable without touching the socket (it is being handed over).
    func detach() { if brokenReason == nil { brokenReason = .notConnected } }

    /// Writes one whole message, blocking this thread while the socket is full; descriptors go with its
    /// first byte. Only where blocking is fine (`BlockingThreads`); elsewhere `send(_:fileDescriptors:deadline:on:)`.
    func send(_ bytes: [UInt8], fileDescriptors: [Int32], deadline: UInt64?) throws(VarlinkConnectionError) {
        var progress = SendProgress(fileDescriptors: fileDescriptors)
        while try !sendSome(bytes, progress: &progress) {
            try wait(for: .writable, deadline: deadline)
        }
    }

    /// The next complete reply, blocking this thread while none has arrived (see `send`).
    func receive(deadline: UInt64?) throws(VarlinkConnectionError) -> (DecodedReply, [Int32]) {
        while true {
            if let message = try nextBuffered() { return message }
            if try !readChunk() { try wait(for: .readable, deadline: deadline) }
        }
    }

    /// How much of a message `sendSome` has written so far.
    struct SendProgress {
        var offset = 0
        /// Still to send: they go with the first byte written.
        var fileDescriptors: [Int32]
    }

    /// Writes as much of `bytes` as the socket takes without waiting; `true` once all of it is written.
    func sendSome(_ bytes: [UInt8], progress: inout SendProgress) throws(VarlinkConnectionError) -> Bool {
        if let brokenReason { throw brokenReason }
        while progress.offset < bytes.count {
            let offset = progress.offset
            let fds = progress.fileDescriptors
            let attempt = bytes.withUnsafeBytes { raw in
                Result { () throws(SystemCallError) in
                    try Posix.send(fd, UnsafeRawBufferPointer(rebasing: raw[offset...]), fileDescriptors: fds)
                }
            }
            let result: IOResult<Int>
            switch attempt {
            case .success(let value): result = value
            case .failure(let error):
                breakConnection()
                throw error.errno == EPIPE || error.errno == ECONNRESET ? .closed : .io(error)
            }
            switch result {
            case .done(let count):
                progress.offset += count
                progress.fileDescriptors = []
            case .wouldBlock:
                return false
            }
        }
        return true
    }

    /// Reads what is already available without waiting (up to `limit` bytes), so a stream's consumer
    /// gets many replies per wake-up.
    func readAvailable(limit: Int) {
        var total = 0
        while total < limit && !isBroken {
            guard (try? Posix.poll(fd, for: .readable, timeoutMilliseconds: 0)) == true else { return }
            let before = buffer.count
            do { guard try readChunk() else { return } } catch { return }
            total += buffer.count - before
        }
    }

    /// A reply already in the buffer, without reading. Complete replies come out even after the
    /// connection broke (e.g. the peer replied and closed); only when none is left is the break reported.
    func nextBuffered() throws(VarlinkConnectionError) -> (DecodedReply, [Int32])? {
        guard let end = buffer.indexOfMessageEnd(from: scanned) else {
            scanned = buffer.count
            if let brokenReason { throw brokenReason }
            if buffer.count - start > maximumMessageSize {
                breakConnection()
                throw .messageTooLarge(limit: maximumMessageSize)
            }
            return nil
        }
        let messageStart = start
        start = end + 1
        scanned = start
        var fds: [Int32] = []
        if let first = descriptors.first, first.offset == base + messageStart {
            fds = first.fds
            descriptors.removeFirst()
        }
        let decoded = buffer.withUnsafeBytes { raw in
            CallDecoder.decodeReply(
                UnsafeRawBufferPointer(rebasing: raw[messageStart..<end]),
                limit: maximumMessageSize
            )
        }
        if start == buffer.count {
            base += buffer.count
            buffer.removeAll(keepingCapacity: buffer.capacity <= 1 << 20)
            start = 0
            scanned = 0
        }
        switch decoded {
        case .success(let reply): return (reply, fds)
        case .failure(let violation):
            for fd in fds { Posix.close(fd) }
            breakConnection()
            throw .protocolViolation(violation.reason)
        }
    }

    /// Bytes after the last complete message (handed over on upgrade).
    func takeBufferedBytes() -> [UInt8] {
        defer {
            buffer.removeAll()
            start = 0
            scanned = 0
        }
        return Array(buffer[start...])
    }

    /// Reads one chunk without waiting; `false` if nothing was there.
    func readChunk() throws(VarlinkConnectionError) -> Bool {
        do {
            let chunkOffset = base + buffer.count
            let attempt = scratch.withUnsafeMutableBytes { raw in
                Result { () throws(SystemCallError) in try Posix.receive(fd, into: raw) }
            }
            let result: IOResult<ReceivedChunk>
            switch attempt {
            case .success(let value): result = value
            case .failure(let error):
                let failure: VarlinkConnectionError = error.errno == ECONNRESET ? .closed : .io(error)
                breakConnection(reason: failure)
                throw failure
            }
            switch result {
            case .wouldBlock:
                return false
            case .done(let chunk):
                if chunk.byteCount == 0 {
                    for fd in chunk.fileDescriptors { Posix.close(fd) }
                    breakConnection(reason: .closed)
                    throw .closed
                }
                if !chunk.fileDescriptors.isEmpty || chunk.controlTruncated {
                    guard !chunk.controlTruncated, buffer.count == start || buffer.last == 0 else {
                        for fd in chunk.fileDescriptors { Posix.close(fd) }
                        breakConnection()
                        throw .protocolViolation("file descriptors arrived in the middle of a message")
                    }
                    descriptors.append((chunkOffset, chunk.fileDescriptors))
                }
                buffer.append(contentsOf: scratch[0..<chunk.byteCount])
                return true
            }
        }
    }

    /// Blocks this thread until the socket is ready, or breaks the connection at the deadline.
    private func wait(for direction: Posix.PollDirection, deadline: UInt64?) throws(VarlinkConnectionError) {
        var timeout: Int32 = -1
        if let deadline {
            let now = Posix.monotonicNanoseconds()
            guard now < deadline else {
                breakConnection()
                throw .timedOut
            }
            timeout = Int32(clamping: (deadline - now) / 1_000_000 + 1)
        }
        let ready: Bool
        do {
            ready = try Posix.poll(fd, for: direction, timeoutMilliseconds: timeout)
        } catch {
            breakConnection()
            throw .io(error)
        }
        if !ready {
            breakConnection()
            throw .timedOut
        }
    }
}
