import Synchronization
import SystemCalls

/// Runs async code to completion on the calling thread, for short-lived command-line tools.
///
/// An `async` main hands its work to the Dispatch main queue and its first hop to the global
/// executor starts the cooperative pool's threads: about 2 ms of every berthctl start, more than a
/// whole `attach` costs in berthd. Here the task prefers this executor (SE-0417), so every job of
/// it, including the ones resumed from other threads, comes back to the thread that called `run`
/// and nothing else is started. Code that needs another executor (`Task {}`, `Task.detached`, a
/// global actor) still works, on the pool, as usual.
///
/// While `run` drives it, the thread counts as one that may block (`BlockingThreads`): a Varlink
/// client does its socket I/O inline there, and blocking engine work runs in place.
///
/// ```swift
/// exit(CurrentThreadExecutor.run { await Berthctl.run(arguments: arguments) })
/// ```
package final class CurrentThreadExecutor: TaskExecutor, Sendable {
    private struct State {
        var jobs: [UnownedJob] = []
        var finished = false
    }
    private let state = Lock<State>(State())

    /// Signalled on every enqueue; -1 if none could be made (out of descriptors): then `drain` polls.
    private let wakeFD: Int32

    private init() {
        wakeFD = (try? Linux.eventFD()) ?? -1
    }

    deinit { if wakeFD >= 0 { Posix.close(wakeFD) } }

    /// Runs `body` on this thread and returns its result once it and every job it enqueued here are done.
    package static func run<Result: Sendable>(_ body: sending @escaping () async -> Result) -> Result {
        let executor = CurrentThreadExecutor()
        let outcome = Lock<Result?>(nil)
        Task(executorPreference: executor) {
            let value = await body()
            outcome.withLock { $0 = value }
            executor.finish()
        }
        BlockingThreads.admit { executor.drain() }
        return outcome.withLock { $0! }
    }

    package func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        state.withLock { $0.jobs.append(unowned) }
        if wakeFD >= 0 { Linux.eventFDSignal(wakeFD) }
    }

    private func finish() {
        state.withLock { $0.finished = true }
        if wakeFD >= 0 { Linux.eventFDSignal(wakeFD) }
    }

    /// Runs queued jobs until the task has finished and the queue is empty.
    private func drain() {
        while true {
            enum Next { case job(UnownedJob), wait, done }
            let next = state.withLock { state -> Next in
                if !state.jobs.isEmpty { return .job(state.jobs.removeFirst()) }
                return state.finished ? .done : .wait
            }
            switch next {
            case .job(let job):
                job.runSynchronously(on: asUnownedTaskExecutor())
            case .wait:
                // A job enqueued after the check has signalled the eventfd already: no wake-up is lost.
                // Without an eventfd, poll ignores the descriptor and just waits a millisecond.
                _ = try? Posix.poll(wakeFD, for: .readable, timeoutMilliseconds: wakeFD >= 0 ? -1 : 1)
                if wakeFD >= 0 { Linux.eventFDDrain(wakeFD) }
            case .done:
                return
            }
        }
    }
}
