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
