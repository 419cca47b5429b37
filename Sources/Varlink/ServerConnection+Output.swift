import SystemCalls

// Output: replies are appended to `output` and written when the loop flushes; a message that carries
// descriptors is sent with its own `sendmsg`, starting at its first byte.
extension ServerConnection {
    /// Appends a reply for `call`; stale calls (after a close or restart) are dropped. `fanOut` output
    /// is written in the core's fan-out lane, after the replies of other connections.
    func enqueue(call: UInt64, bytes: [UInt8], fileDescriptors: [Int32], final: Bool, fanOut: Bool = false) {
        guard state == .inCall, call == currentCall else {
            for fd in fileDescriptors { Posix.close(fd) }
            gauge.subtract(bytes.count)
            return
        }
        append(bytes, fileDescriptors: fileDescriptors, fanOut: fanOut)
        if final && state != .closed { finishCall() }
    }

    /// Appends a reply for `call` that `encode` writes straight into `output` (the I/O thread's path).
    func enqueue(call: UInt64, fileDescriptors: [Int32], final: Bool, encode: (inout [UInt8]) -> Void) {
        guard state == .inCall, call == currentCall else {
            for fd in fileDescriptors { Posix.close(fd) }
            return
        }
        let start = output.count
        encode(&output)
        gauge.add(output.count - start)
        if !fileDescriptors.isEmpty { outgoingDescriptors.append((start, output.count, fileDescriptors)) }
        if output.count - outputStart > core.configuration.maximumOutputBuffer {
            close()
            return
        }
        core.markDirty(self)
        if final { finishCall() }
    }

    /// Appends a batch of streamed replies for `call`.
    func enqueue(call: UInt64, batch: VarlinkReply.Batch) {
        guard state == .inCall, call == currentCall else {
            for entry in batch.descriptors { for fd in entry.fds { Posix.close(fd) } }
            gauge.subtract(batch.bytes.count)
            return
        }
        let base = output.count
        for entry in batch.descriptors {
            // A message's extent is up to the next message's start; its NUL ends it.
            let end = batch.bytes[entry.offset...].firstIndex(of: 0).map { $0 + 1 } ?? batch.bytes.count
            outgoingDescriptors.append((base + entry.offset, base + end, entry.fds))
        }
        output.append(contentsOf: batch.bytes)
        if output.count - outputStart > core.configuration.maximumOutputBuffer {
            close()
            return
        }
        core.markDirty(self)
    }

    func append(_ bytes: [UInt8], fileDescriptors: [Int32], fanOut: Bool = false) {
        if !fileDescriptors.isEmpty {
            outgoingDescriptors.append((output.count, output.count + bytes.count, fileDescriptors))
        }
        output.append(contentsOf: bytes)
        if output.count - outputStart > core.configuration.maximumOutputBuffer {
            // The peer does not read: drop it rather than grow without bound.
            close()
            return
        }
        core.markDirty(self, fanOut: fanOut)
    }

    func finishCall() {
        state = .idle
        currentCall = 0
        if isProcessingInput { return }
        if !inputClosed || input.count > inputStart { processInput() }
        if state == .idle && inputClosed && input.count == inputStart && output.count == outputStart && !isDirty {
            close()
            return
        }
        updateInterest()
    }

    func flush() {
        guard state != .closed else { return }
        var written = 0
        var refills = 0
        while true {
            if outputStart == output.count {
                // Bounded refills per wake-up, so one fast stream cannot starve the other connections.
                guard producer != nil, state == .inCall, refills < 4 else { break }
                refills += 1
                runProducer()
                if outputStart == output.count { break }
            }
            var end = output.count
            var fds: [Int32] = []
            if let next = outgoingDescriptors.first {
                if next.start == outputStart {
                    end = next.end
                    fds = next.fds
                } else if next.start > outputStart {
                    end = next.start
                }
            }
            let result: IOResult<Int>
            do {
                result = try output.withUnsafeBytes { bytes throws(SystemCallError) in
                    try Posix.send(fd, UnsafeRawBufferPointer(rebasing: bytes[outputStart..<end]), fileDescriptors: fds)
                }
            } catch {
                close()
                return
            }
            guard case .done(let count) = result else { break }
            if count == 0 { break }
            if !fds.isEmpty {
                outgoingDescriptors.removeFirst()
                for fd in fds { Posix.close(fd) }
                // Descriptors went with the first byte; the rest of this message is plain bytes now.
            }
            outputStart += count
            written += count
        }
        if written > 0 { gauge.subtract(written) }
        if outputStart == output.count {
            output.removeAll(keepingCapacity: output.capacity <= 256 << 10)
            outputStart = 0
            outgoingDescriptors.removeAll()
            if state == .upgrading { completeUpgrade(); return }
            if inputClosed && state == .idle && input.count == inputStart { close(); return }
        } else if outputStart > 1 << 20 {
            compactOutput()
        }
        updateInterest()
    }

    /// How much a producer queues per refill: enough to batch writes, small enough to stay in cache.
    static let producerBatchBytes = 128 << 10

    /// Drops the written prefix of `output`, so a long stream reuses one buffer.
    private func compactOutput() {
        guard outputStart > 0 else { return }
        if outputStart == output.count {
            output.removeAll(keepingCapacity: output.capacity <= 256 << 10)
        } else {
            output.removeFirst(outputStart)
        }
        for index in outgoingDescriptors.indices {
            outgoingDescriptors[index].start -= outputStart
            outgoingDescriptors[index].end -= outputStart
        }
        outputStart = 0
    }

    /// Lets the producer add replies until about a watermark's worth is queued.
    func runProducer() {
        compactOutput()
        while let current = producer, state == .inCall, current.call == currentCall,
            output.count < Self.producerBatchBytes
        {
            // A finished producer may already have let the next pipelined call install its own.
            if !current.next(), producer?.call == current.call { producer = nil }
        }
        if let current = producer, state != .inCall || current.call != currentCall { producer = nil }
    }

    func updateInterest() {
        guard state != .closed else { return }
        var interest: Linux.EpollInterest = []
        if state == .idle && !inputClosed { interest.insert(.readable) }
        // A dirty connection is flushed before the loop waits again: ask for writability only when that
        // flush could not write everything. Asking every time cost two epoll_ctl calls per call.
        if !isDirty && (outputStart < output.count || (producer != nil && state == .inCall)) {
            interest.insert(.writable)
        }
        if interest != registeredInterest {
            registeredInterest = interest
            try? Linux.epollModify(core.epollFD, fd, interest: interest, token: id)
        }
    }
}
