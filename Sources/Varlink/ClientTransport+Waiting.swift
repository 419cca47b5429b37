import SystemCalls

extension ClientTransport {
    /// `send` for a caller that must not block: waits for a full socket on the clients' I/O loop.
    func send(
        _ bytes: [UInt8],
        fileDescriptors: [Int32],
        deadline: UInt64?,
        on loop: ClientIOLoop
    ) async throws(VarlinkConnectionError) {
        var progress = SendProgress(fileDescriptors: fileDescriptors)
        while try !sendSome(bytes, progress: &progress) {
            try await wait(for: .writable, deadline: deadline, on: loop)
        }
    }

    /// `receive` for a caller that must not block: waits for input on the clients' I/O loop.
    func receive(
        deadline: UInt64?,
        on loop: ClientIOLoop
    ) async throws(VarlinkConnectionError) -> (
        DecodedReply, [Int32]
    ) {
        while true {
            if let message = try nextBuffered() { return message }
            if try !readChunk() { try await wait(for: .readable, deadline: deadline, on: loop) }
        }
    }

    private func wait(
        for direction: Posix.PollDirection,
        deadline: UInt64?,
        on loop: ClientIOLoop
    ) async throws(VarlinkConnectionError) {
        if let deadline, Posix.monotonicNanoseconds() >= deadline {
            breakConnection()
            throw .timedOut
        }
        switch await loop.wait(for: fd, direction, deadline: deadline) {
        case .ready:
            return
        case .timedOut:
            breakConnection()
            throw .timedOut
        case .failed(let error):
            breakConnection()
            throw .io(error)
        }
    }
}
