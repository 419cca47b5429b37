import Synchronization
import SystemCalls
import Varlink

/// The one execution context for blocking engine work (openat2, fsync, renames, loop devices, sd-bus
/// job waits): a few threads of its own, started on demand, that are allowed to block
/// (`BlockingThreads`). Neither the server's I/O loop nor Swift's cooperative pool ever waits on a
/// disk or on PID 1, so a slow attach cannot stall other clients.
///
/// `run` is the entry point. On a thread that may already block (berthctl's main thread, driven by
/// `CurrentThreadExecutor`, with the service in process; or this executor's own threads) it runs
/// the operation in place: no thread hop and no thread pool started. Elsewhere it runs the operation
/// with this executor as the task's preference, so every job of it, the code after each `await`
/// included, runs here.
package final class EngineExecutor: TaskExecutor, Sendable {
    package static let shared = EngineExecutor(maximumThreads: 16)

    private struct State {
        var jobs: [UnownedJob] = []
        var threads = 0
        var idle = 0
    }
    private let state = Lock<State>(State())
    private let maximumThreads: Int
    /// Wakes idle threads; -1 if none could be made (out of descriptors): then idle threads poll.
    private let wakeFD: Int32

    /// - Parameter maximumThreads: more operations than this at once wait for a free thread.
    package init(maximumThreads: Int) {
        self.maximumThreads = max(1, maximumThreads)
        wakeFD = (try? Linux.eventFD()) ?? -1
    }

    /// Runs `operation` where blocking is allowed: in place if this thread may block, else here.
    package static func run<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        if BlockingThreads.mayBlockHere { return try await operation() }
        return try await withTaskExecutorPreference(shared) { try await operation() }
    }

    package func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let startThread = state.withLock { state -> Bool in
            state.jobs.append(job)
            guard state.idle == 0, state.threads < maximumThreads else { return false }
            state.threads += 1
            return true
        }
        if startThread {
            do throws(SystemCallError) {
                try Posix.startThread { [self] in BlockingThreads.admit { work() } }
            } catch {
                // No new thread: the running ones (or, with none, this fallback) take the job.
                let none = state.withLock { state -> Bool in
                    state.threads -= 1
                    return state.threads == 0
                }
                if none { globalConcurrentExecutor.enqueue(job) }
            }
        }
        if wakeFD >= 0 { Linux.eventFDSignal(wakeFD) }
    }

    /// A worker thread: runs jobs, waits when there are none. Threads stay for the life of the process
    /// (berthd exits when idle; berthctl never starts one).
    private func work() {
        let executor = asUnownedTaskExecutor()
        while true {
            let (next, passOn) = state.withLock { state -> (UnownedJob?, Bool) in
                guard !state.jobs.isEmpty else {
                    state.idle += 1
                    return (nil, false)
                }
                let job = state.jobs.removeFirst()
                return (job, !state.jobs.isEmpty && state.idle > 0)
            }
            if let next {
                // Another waiting thread may have slept through the signal this one consumed.
                if passOn && wakeFD >= 0 { Linux.eventFDSignal(wakeFD) }
                next.runSynchronously(on: executor)
                continue
            }
            // A job enqueued after the check has signalled the eventfd already: no wake-up is lost.
            _ = try? Posix.poll(wakeFD, for: .readable, timeoutMilliseconds: wakeFD >= 0 ? -1 : 1)
            if wakeFD >= 0 { Linux.eventFDDrain(wakeFD) }
            state.withLock { $0.idle -= 1 }
        }
    }
}
