import SystemCalls
import VarlinkJSON

/// One accepted connection. Lives on the I/O thread only.
///
/// Input: bytes are split at NUL; a message is handled only when no call is in flight (strict
/// ordering), later ones wait in `input`. Descriptors received with a chunk belong to the message
/// that starts at the chunk's first byte (sd-varlink's rule); any other placement closes the connection.
/// Output: replies are appended to `output` and written when the loop flushes; a message that carries
/// descriptors is sent with its own `sendmsg`, starting at its first byte.
final class ServerConnection {
    /// The core owns its connections and calls them only from its loop, so it always outlives them;
    /// `unowned(unsafe)` skips the reference-count check `unowned` pays on each of the ~20 uses per call.
    unowned(unsafe) let core: ServerCore
    let id: UInt64
    let fd: Int32
    let peer: PeerCredentials
    let gauge = OutputGauge()
    var isDirty = false
    /// Dirty only with fan-out output (`multicast`): queued in the core's slower fan-out lane.
    var isFanOutDirty = false

    enum State {
        case idle
        case inCall
        case upgrading
        case closed
    }
    var state: State = .idle
    var currentCall: UInt64 = 0
    var nextCall: UInt64 = 1
    var lastInput: UInt64
    var inputClosed = false
    var isProcessingInput = false

    /// Unprocessed input: `input[inputStart...]`. `inputScanned` is where the NUL search resumes.
    var input: [UInt8] = []
    var inputStart = 0
    var inputScanned = 0
    /// Stream offset of `input[0]`, for matching descriptors to message starts.
    var inputBase = 0
    var receivedDescriptors: [(offset: Int, fds: [Int32])] = []

    var output: [UInt8] = []
    var outputStart = 0
    var outgoingDescriptors: [(start: Int, end: Int, fds: [Int32])] = []
    var wantsWrite = false
    var registeredInterest: Linux.EpollInterest = [.readable]
    /// A stream produced on this thread (`VarlinkReply.produce`), refilled as the client drains.
    var producer: (call: UInt64, next: () -> Bool)?
    var pendingUpgrade: (bytes: Int, continuation: CheckedContinuation<VarlinkUpgradedConnection, any Error>)?

    init(core: ServerCore, id: UInt64, fd: Int32, peer: PeerCredentials, now: UInt64) {
        self.core = core
        self.id = id
        self.fd = fd
        self.peer = peer
        self.lastInput = now
    }

    var hasIncompleteMessage: Bool { input.count > inputStart && state == .idle }
    var isIdle: Bool { state == .idle && input.count == inputStart && output.count == outputStart }
    var canCloseForShutdown: Bool { state != .inCall && state != .upgrading && output.count == outputStart }

    // MARK: - Events

    func handle(_ event: EpollEvent) {
        if event.readable { readAvailable() }
        guard state != .closed else { return }
        if event.hangUp {
            // Both directions are gone (EPOLLHUP/EPOLLERR): nothing can be delivered any more.
            close()
            return
        }
        if event.writable { flush() }
    }

    private func readAvailable() {
        var rounds = 0
        while state != .closed && !inputClosed && rounds < 16 {
            rounds += 1
            let chunkOffset = inputBase + input.count
            let received: IOResult<ReceivedChunk>
            do {
                received = try core.readScratch.withUnsafeMutableBytes { buffer throws(SystemCallError) in
                    try Posix.receive(fd, into: buffer)
                }
            } catch {
                close()
                return
            }
            guard case .done(let chunk) = received else { break }
            if chunk.byteCount == 0 {
                inputClosed = true
                for fd in chunk.fileDescriptors { Posix.close(fd) }
                break
            }
            lastInput = Posix.monotonicNanoseconds()
            if !chunk.fileDescriptors.isEmpty || chunk.controlTruncated {
                // Descriptors must arrive with the first byte of a message.
                let atBoundary = input.count == inputStart || input.last == 0
                if !atBoundary || chunk.controlTruncated {
                    for fd in chunk.fileDescriptors { Posix.close(fd) }
                    close()
                    return
                }
                receivedDescriptors.append((chunkOffset, chunk.fileDescriptors))
            }
            input.append(contentsOf: core.readScratch[0..<chunk.byteCount])
            processInput()
            if state == .closed { return }
            if input.count - inputStart > core.configuration.maximumMessageSize + 1 && state == .idle {
                // A message longer than the limit (no NUL within it): ENOBUFS in sd-varlink terms.
                close()
                return
            }
            // Stop reading while a call is in flight and a full message is already waiting.
            if state != .idle || chunk.byteCount < core.readScratch.count { break }
        }
        if inputClosed && state == .idle && output.count == outputStart { close() }
        updateInterest()
    }

    /// Handles complete messages while no call is in flight.
    func processInput() {
        // Replies finished inline re-enter through finishCall; the outer loop picks up the next message.
        guard !isProcessingInput else { return }
        isProcessingInput = true
        defer { isProcessingInput = false }
        // While shutting down, calls in flight finish but queued ones are not started.
        while state == .idle && !core.draining {
            guard let end = input.indexOfMessageEnd(from: inputScanned) else {
                inputScanned = input.count
                if input.count - inputStart > core.configuration.maximumMessageSize { close() }
                break
            }
            let start = inputStart
            inputStart = end + 1
            inputScanned = inputStart
            if end - start > core.configuration.maximumMessageSize {
                close()
                return
            }
            let descriptors = takeDescriptors(at: inputBase + start)
            let decoded: Result<DecodedCall, ProtocolViolation> = input.withUnsafeBytes { bytes in
                CallDecoder.decode(
                    UnsafeRawBufferPointer(rebasing: bytes[start..<end]),
                    limit: core.configuration.maximumMessageSize
                )
            }
            switch decoded {
            case .failure:
                for fd in descriptors { Posix.close(fd) }
                closeAfterFlush()
                return
            case .success(let call):
                dispatch(call, descriptors: descriptors)
            }
        }
        compactInput()
    }

    private func takeDescriptors(at offset: Int) -> [Int32] {
        guard let first = receivedDescriptors.first else { return [] }
        if first.offset == offset {
            receivedDescriptors.removeFirst()
            return first.fds
        }
        return []
    }

    private func compactInput() {
        if inputStart == input.count {
            inputBase += input.count
            input.removeAll(keepingCapacity: input.capacity <= 256 << 10)
            inputStart = 0
            inputScanned = 0
        } else if inputStart > 64 << 10 {
            inputBase += inputStart
            input.removeFirst(inputStart)
            inputScanned -= inputStart
            inputStart = 0
        }
    }

    // MARK: - Upgrade

    func beginUpgrade(
        call: UInt64,
        bytes: [UInt8],
        continuation: CheckedContinuation<VarlinkUpgradedConnection, any Error>
    ) {
        guard state == .inCall, call == currentCall else {
            continuation.resume(throwing: VarlinkConnectionError.closed)
            return
        }
        state = .upgrading
        pendingUpgrade = (bytes.count, continuation)
        output.append(contentsOf: bytes)
        core.markDirty(self)
    }

    func completeUpgrade() {
        guard let upgrade = pendingUpgrade else { return }
        pendingUpgrade = nil
        let leftover = Array(input[inputStart...])
        for entry in receivedDescriptors { for fd in entry.fds { Posix.close(fd) } }
        receivedDescriptors.removeAll()
        Linux.epollRemove(core.epollFD, fd)
        state = .closed
        gauge.close()
        core.removeConnection(self)
        upgrade.continuation.resume(
            returning: VarlinkUpgradedConnection(fileDescriptor: FileDescriptor(rawValue: fd), bufferedBytes: leftover)
        )
    }

    // MARK: - Close

    /// A protocol violation: read nothing more, deliver the replies already queued, then close.
    func closeAfterFlush() {
        inputClosed = true
        for entry in receivedDescriptors { for fd in entry.fds { Posix.close(fd) } }
        receivedDescriptors.removeAll()
        input.removeAll()
        inputStart = 0
        inputScanned = 0
        if output.count == outputStart && !isDirty { close() } else { updateInterest() }
    }

    func close() {
        guard state != .closed else { return }
        let wasUpgrading = state == .upgrading
        state = .closed
        producer = nil
        Linux.epollRemove(core.epollFD, fd)
        Posix.close(fd)
        for entry in receivedDescriptors { for fd in entry.fds { Posix.close(fd) } }
        receivedDescriptors.removeAll()
        for entry in outgoingDescriptors { for fd in entry.fds { Posix.close(fd) } }
        outgoingDescriptors.removeAll()
        input = []
        output = []
        gauge.close()
        if wasUpgrading, let upgrade = pendingUpgrade {
            pendingUpgrade = nil
            upgrade.continuation.resume(throwing: VarlinkConnectionError.closed)
        }
        core.removeConnection(self)
    }
}
