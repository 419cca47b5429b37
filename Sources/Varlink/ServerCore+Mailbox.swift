import Synchronization
import SystemCalls

#if canImport(Glibc)
import Glibc
#endif

/// Work handed to the I/O thread from other threads.
enum MailboxItem: Sendable {
    case output(connection: UInt64, call: UInt64, bytes: [UInt8], fileDescriptors: [Int32], final: Bool)
    case upgrade(
        connection: UInt64,
        call: UInt64,
        bytes: [UInt8],
        CheckedContinuation<VarlinkUpgradedConnection, any Error>
    )
    case flush(VarlinkReply)
    /// The same streamed reply for many calls (`VarlinkReply.notify(_:encoded:)`).
    case multicast(bytes: [UInt8], targets: [(connection: UInt64, call: UInt64)])
    case handlerFinished
    case shutdown
    case setAccepting(Bool)
    /// A job of a handler task: handlers run on the I/O loop (`ServerCore` is their task executor).
    case job(UnownedJob)
}

/// The mailbox on the I/O thread: what other threads handed over, applied in order.
extension ServerCore {
    func drainMailbox() {
        wakePending.store(false, ordering: .sequentiallyConsistent)
        while true {
            let items = mailbox.withLock { mailbox -> [MailboxItem] in
                defer { mailbox.items.removeAll(keepingCapacity: true) }
                return mailbox.items
            }
            if items.isEmpty { return }
            for item in items { apply(item) }
        }
    }

    func apply(_ item: MailboxItem) {
        switch item {
        case .output(let id, let call, let bytes, let fds, let final):
            guard let connection = connections[id] else {
                for fd in fds { Posix.close(fd) }
                return
            }
            connection.enqueue(call: call, bytes: bytes, fileDescriptors: fds, final: final)
        case .upgrade(let id, let call, let bytes, let continuation):
            guard let connection = connections[id] else {
                continuation.resume(throwing: VarlinkConnectionError.closed)
                return
            }
            connection.beginUpgrade(call: call, bytes: bytes, continuation: continuation)
        case .flush(let reply):
            let batch = reply.takeBatch()
            guard let connection = connections[reply.connectionID] else {
                for entry in batch.descriptors { for fd in entry.fds { Posix.close(fd) } }
                return
            }
            connection.enqueue(call: reply.callID, batch: batch)
        case .multicast(let bytes, let targets):
            for target in targets {
                connections[target.connection]?.enqueue(
                    call: target.call,
                    bytes: bytes,
                    fileDescriptors: [],
                    final: false,
                    fanOut: true
                )
            }
        case .handlerFinished:
            callsInFlight -= 1
            publishCounters()
        case .shutdown:
            beginShutdown()
        case .setAccepting(let enabled):
            accepting = enabled
            if enabled { try? registerListeners() } else { unregisterListeners() }
        case .job(let job):
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
