import Synchronization
import SystemCalls

/// Bytes queued for one connection but not yet written, shared between the I/O thread and handlers.
///
/// Streaming handlers wait in `VarlinkReply.drain()` while the count is over the high watermark; the
/// I/O thread resumes them once it has written the queue down below the low watermark.
final class OutputGauge: Sendable {
    private let pending = Atomic<Int>(0)
    private let closed = Atomic<Bool>(false)
    private let hasWaiters = Atomic<Bool>(false)
    private let waiters = Lock<[CheckedContinuation<Void, Never>]>([])
    /// Handlers waiting for the connection to go away (streams that only send when something happens).
    private let closeWaiters = Lock<[UInt64: CheckedContinuation<Void, Never>]>([:])
    private let nextCloseWaiter = Atomic<UInt64>(0)

    static let highWatermark = 256 << 10
    static let lowWatermark = 64 << 10

    var pendingBytes: Int { pending.load(ordering: .relaxed) }
    var isClosed: Bool { closed.load(ordering: .acquiring) }

    func add(_ count: Int) { pending.add(count, ordering: .relaxed) }

    /// Called by the I/O thread after a write.
    func subtract(_ count: Int) {
        let now = pending.subtract(count, ordering: .relaxed).newValue
        if now < Self.lowWatermark && hasWaiters.load(ordering: .acquiring) { resumeAll() }
    }

    /// Called when the connection goes away: nobody should wait for it any more.
    func close() {
        closed.store(true, ordering: .releasing)
        resumeAll()
        let list = closeWaiters.withLock { list in
            defer { list.removeAll() }
            return list
        }
        for continuation in list.values { continuation.resume() }
    }

    /// Suspends until the connection closes or the task is cancelled.
    func waitUntilClosed() async {
        let id = nextCloseWaiter.add(1, ordering: .relaxed).newValue
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = closeWaiters.withLock { list -> Bool in
                    // Checked under the lock: a close or cancel that ran before this point finds nothing to resume.
                    if isClosed || Task.isCancelled { return true }
                    list[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            closeWaiters.withLock { $0.removeValue(forKey: id) }?.resume()
        }
    }

    /// Suspends while the queue is over the high watermark and the connection is open.
    func waitForCapacity() async {
        while pending.load(ordering: .relaxed) > Self.highWatermark && !isClosed {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = waiters.withLock { list -> Bool in
                    // Re-check under the lock so a concurrent resumeAll cannot be missed.
                    if pending.load(ordering: .relaxed) < Self.lowWatermark || isClosed { return true }
                    list.append(continuation)
                    hasWaiters.store(true, ordering: .releasing)
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        }
    }

    private func resumeAll() {
        let list = waiters.withLock { list -> [CheckedContinuation<Void, Never>] in
            hasWaiters.store(false, ordering: .releasing)
            defer { list.removeAll() }
            return list
        }
        for continuation in list { continuation.resume() }
    }
}
