import Synchronization
public import SystemCalls
public import VarlinkJSON

/// Where a handler sends the answer to one call. Usable from any thread or task.
///
/// Send either one `reply` (or `fail`), or any number of `notify` first (only for `more` calls) and then
/// one final `reply`/`fail`. For a `oneway` call nothing is sent, whatever the handler does. Anything
/// after the final reply is ignored. Descriptors passed here are owned by the server from then on
/// and closed once sent (or when the connection goes away); an error reply never carries any.
public final class VarlinkReply: Sendable {
    let core: ServerCore
    let connectionID: UInt64
    let callID: UInt64
    let gauge: OutputGauge
    /// Whether the call asked for `more`, `oneway`, `upgrade`.
    public let more: Bool
    public let oneway: Bool
    public let upgradeRequested: Bool
    private let finished = Atomic<Bool>(false)
    private let receivedDescriptors: Lock<[Int32]>
    private let batch = Lock<Batch>(Batch())
    private let hasProducer = Atomic<Bool>(false)

    init(core: ServerCore, connection: UInt64, call callID: UInt64, gauge: OutputGauge, call: VarlinkCall) {
        self.core = core
        self.connectionID = connection
        self.callID = callID
        self.gauge = gauge
        self.more = call.more
        self.oneway = call.oneway
        self.upgradeRequested = call.upgrade
        self.receivedDescriptors = Lock(call.fileDescriptors.map(\.rawValue))
    }

    /// Whether the final reply (or error) has been sent.
    public var isFinished: Bool { finished.load(ordering: .acquiring) }

    /// Whether the client is still connected; streaming handlers stop when this turns `false`.
    public var isConnected: Bool { !gauge.isClosed }

    /// Sends the final reply.
    public func reply(_ parameters: JSONObject = [:], fileDescriptors: [FileDescriptor] = []) {
        let fileDescriptors = fileDescriptors.map(\.rawValue)
        guard claimFinal() else { return closeAll(fileDescriptors) }
        if oneway { return submit([], fileDescriptors: [], final: true, closing: fileDescriptors) }
        submitReply(parameters, continues: false, fileDescriptors: fileDescriptors)
    }

    /// Encodes `value` (a Codable struct) as the final reply's parameters.
    public func reply(encoding value: some Encodable, fileDescriptors: [FileDescriptor] = []) throws {
        reply(try JSONValueEncoder().encodeObject(value), fileDescriptors: fileDescriptors)
    }

    /// Sends one streamed reply (`continues: true`). Without `more` on the call this ends the call with
    /// `org.varlink.service.ExpectedMore`, as sd-varlink does. Never blocks: `await drain()` between
    /// replies to respect the client's pace.
    public func notify(_ parameters: JSONObject, fileDescriptors: [FileDescriptor] = []) {
        let fileDescriptors = fileDescriptors.map(\.rawValue)
        guard !isFinished else { return closeAll(fileDescriptors) }
        guard more else {
            closeAll(fileDescriptors)
            return fail(VarlinkServiceError.expectedMore)
        }
        if oneway { return closeAll(fileDescriptors) }
        if !core.isOnLoopThread {
            // Streams from tasks are batched: one mailbox entry carries every reply queued meanwhile.
            return appendToBatch(fileDescriptors: fileDescriptors) {
                MessageEncoder.reply(parameters, continues: true, into: &$0)
            }
        }
        submitReply(parameters, continues: true, fileDescriptors: fileDescriptors)
    }

    /// `notify` with a reply encoded once for many calls.
    public func notify(encoded: VarlinkEncodedReply) {
        guard !isFinished else { return }
        guard more else { return fail(VarlinkServiceError.expectedMore) }
        if oneway { return }
        if !core.isOnLoopThread {
            return appendToBatch(fileDescriptors: []) { $0.append(contentsOf: encoded.bytes) }
        }
        submit(encoded.bytes, fileDescriptors: [], final: false)
    }

    /// `notify(encoded:)` for many calls at once (an event to every watcher): one mailbox entry per
    /// server instead of one per call. A call with replies still queued from its task gets this one
    /// behind them, as `notify` would.
    public static func notify(_ replies: [VarlinkReply], encoded: VarlinkEncodedReply) {
        var targets: [ObjectIdentifier: (core: ServerCore, calls: [(connection: UInt64, call: UInt64)])] = [:]
        for reply in replies {
            guard reply.more, !reply.oneway, !reply.isFinished, !reply.core.isOnLoopThread,
                !reply.batch.withLock({ $0.scheduled })
            else {
                reply.notify(encoded: encoded)
                continue
            }
            reply.gauge.add(encoded.bytes.count)
            targets[ObjectIdentifier(reply.core), default: (reply.core, [])].calls.append(
                (reply.connectionID, reply.callID)
            )
        }
        for (core, calls) in targets.values { core.post(.multicast(bytes: encoded.bytes, targets: calls)) }
    }

    /// `notify` with a Codable value.
    public func notify(encoding value: some Encodable, fileDescriptors: [FileDescriptor] = []) throws {
        notify(try JSONValueEncoder().encodeObject(value), fileDescriptors: fileDescriptors)
    }

    /// Waits while more than ~256 KiB of replies are queued for this client (returns at once when the
    /// client is gone). Cheap when the client keeps up.
    public func drain() async {
        await gauge.waitForCapacity()
    }

    /// Returns once the client is gone (or the task is cancelled): a stream that sends only when
    /// something happens waits here, so it ends (and frees the server for idle exit) when its client leaves.
    public func waitUntilDisconnected() async {
        await gauge.waitUntilClosed()
    }

    /// Streams from the I/O thread, without a task or a thread hop: `next` is called whenever the client
    /// has drained its queue and emits a few replies with `notify`; it returns `false` after it sent the
    /// final `reply` (or `fail`). Use it from `handleImmediately` (then return `true`); `next` must not
    /// block. Called elsewhere, `next` just runs to completion without pacing.
    public func produce(_ next: @escaping () -> Bool) {
        guard core.isOnLoopThread, let connection = core.connections[connectionID], connection.currentCall == callID
        else {
            while !isFinished && next() {}
            return
        }
        hasProducer.store(true, ordering: .relaxed)
        connection.producer = (callID, next)
    }

    /// Sends the final error reply.
    public func fail(_ error: some VarlinkError) {
        guard claimFinal() else { return }
        if oneway { return submit([], fileDescriptors: [], final: true) }
        var bytes: [UInt8] = []
        MessageEncoder.error(name: error.errorName, parameters: error.errorParameters, into: &bytes)
        submit(bytes, fileDescriptors: [], final: true)
    }

    /// Confirms an `upgrade` call with a final reply, waits until it is written, and hands the raw
    /// connection over: the server forgets it and the caller owns the descriptor.
    public func acceptUpgrade(_ parameters: JSONObject = [:]) async throws -> VarlinkUpgradedConnection {
        guard upgradeRequested else { throw VarlinkConnectionError.invalidUse("the call did not ask for an upgrade") }
        guard claimFinal() else { throw VarlinkConnectionError.invalidUse("the call was already answered") }
        var bytes: [UInt8] = []
        MessageEncoder.reply(parameters, continues: false, into: &bytes)
        return try await withCheckedThrowingContinuation { continuation in
            core.post(.upgrade(connection: connectionID, call: callID, bytes: bytes, continuation))
        }
    }

    // MARK: - Internal

    private func claimFinal() -> Bool {
        finished.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
    }

    private func closeAll(_ fds: [Int32]) {
        for fd in fds { Posix.close(fd) }
    }

    /// Replies queued from other threads and not yet taken by the I/O thread.
    struct Batch {
        var bytes: [UInt8] = []
        var descriptors: [(offset: Int, fds: [Int32])] = []
        var scheduled = false
    }

    private func appendToBatch(fileDescriptors: [Int32], encode: (inout [UInt8]) -> Void) {
        let added = batch.withLock { batch -> (count: Int, schedule: Bool) in
            let start = batch.bytes.count
            if !fileDescriptors.isEmpty { batch.descriptors.append((start, fileDescriptors)) }
            encode(&batch.bytes)
            let schedule = !batch.scheduled
            batch.scheduled = true
            return (batch.bytes.count - start, schedule)
        }
        gauge.add(added.count)
        if added.schedule { core.post(.flush(self)) }
    }

    /// Called on the I/O thread: hands the queued batch to the connection.
    func takeBatch() -> Batch {
        batch.withLock { batch in
            defer { batch = Batch() }
            return batch
        }
    }

    /// Encodes a reply (final unless it `continues`) and submits it.
    private func submitReply(_ parameters: JSONObject, continues: Bool, fileDescriptors: [Int32]) {
        if core.isOnLoopThread {
            // Straight into the connection's output buffer: no reply array to allocate, fill and copy.
            guard let connection = core.connections[connectionID] else { return closeAll(fileDescriptors) }
            connection.enqueue(call: callID, fileDescriptors: fileDescriptors, final: !continues) { output in
                MessageEncoder.reply(parameters, continues: continues, into: &output)
            }
            return
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(64)
        MessageEncoder.reply(parameters, continues: continues, into: &bytes)
        submit(bytes, fileDescriptors: fileDescriptors, final: !continues)
    }

    private func submit(_ bytes: [UInt8], fileDescriptors: [Int32], final: Bool, closing: [Int32] = []) {
        closeAll(closing)
        if !core.isOnLoopThread && batch.withLock({ $0.scheduled }) {
            // Keep order behind replies still waiting in the batch.
            appendToBatch(fileDescriptors: fileDescriptors) { $0.append(contentsOf: bytes) }
            if final {
                core.post(.output(connection: connectionID, call: callID, bytes: [], fileDescriptors: [], final: true))
            }
            return
        }
        gauge.add(bytes.count)
        if core.isOnLoopThread {
            if let connection = core.connections[connectionID] {
                connection.enqueue(call: callID, bytes: bytes, fileDescriptors: fileDescriptors, final: final)
            } else {
                closeAll(fileDescriptors)
            }
        } else {
            core.post(
                .output(
                    connection: connectionID,
                    call: callID,
                    bytes: bytes,
                    fileDescriptors: fileDescriptors,
                    final: final
                )
            )
        }
    }

    /// The handler is done: send the implicit empty reply if needed and release the call's descriptors.
    func handlerReturned(notifyCore: Bool) {
        if !isFinished && !hasProducer.load(ordering: .relaxed) { reply() }
        closeAll(
            receivedDescriptors.withLock { fds -> [Int32] in
                defer { fds.removeAll() }
                return fds
            }
        )
        if notifyCore { core.post(.handlerFinished) }
    }
}
