import Synchronization
import SystemCalls

/// One long-lived OS thread per client connection that runs the connection's blocking socket work.
///
/// Starting a thread per call cost about half a millisecond; a parked thread woken through an
/// eventfd costs a few microseconds, so a call costs close to the socket round trip. The
/// cooperative pool never waits on the socket: callers suspend on a continuation that the thread
/// resumes. The client's `AsyncLock` means at most one job is queued at a time; the queue is
/// general anyway. The thread starts on first use and ends after `stop()`.
final class ClientIOThread: Sendable {
    private struct State {
        var jobs: [@Sendable () -> Void] = []
        var wakeFD: Int32 = -1
        var started = false
        var stopping = false
    }
    private let state = Lock<State>(State())
    /// Every job runs on the caller's thread, blocking it: for command-line tools whose tasks run on a
    /// thread of their own (`CurrentThreadExecutor`), where a hop to another thread only costs time.
    let inline: Bool

    init(inline: Bool = false) {
        self.inline = inline
    }

    /// Runs `body` on the connection's thread (or on a fresh thread once stopped or if the thread
    /// cannot be started, so late calls still fail cleanly instead of hanging).
    func run<T: Sendable>(
        _ body: @escaping @Sendable () -> Result<T, VarlinkConnectionError>
    ) async -> Result<T, VarlinkConnectionError> {
        if inline { return body() }
        return await withCheckedContinuation { continuation in
            let job: @Sendable () -> Void = { continuation.resume(returning: body()) }
            if !enqueue(job) {
                do throws(SystemCallError) {
                    try Posix.startThread(job)
                } catch {
                    continuation.resume(returning: .failure(.io(error)))
                }
            }
        }
    }

    /// Lets the thread finish its queued jobs and exit.
    func stop() {
        state.withLock { state in
            state.stopping = true
            if state.wakeFD >= 0 { Linux.eventFDSignal(state.wakeFD) }
        }
    }

    /// Queues `job` for the thread, starting it if needed; `false` when the caller must run it elsewhere.
    /// The eventfd is signalled and closed only under the lock, so a signal never hits a reused descriptor.
    private func enqueue(_ job: @escaping @Sendable () -> Void) -> Bool {
        state.withLock { state -> Bool in
            guard !state.stopping else { return false }
            if !state.started {
                guard let wakeFD = try? Linux.eventFD() else { return false }
                do throws(SystemCallError) {
                    try Posix.startThread { [self] in loop(wakeFD: wakeFD) }
                } catch {
                    Posix.close(wakeFD)
                    state.stopping = true  // later calls use fresh threads
                    return false
                }
                state.wakeFD = wakeFD
                state.started = true
            }
            state.jobs.append(job)
            Linux.eventFDSignal(state.wakeFD)
            return true
        }
    }

    private func loop(wakeFD: Int32) {
        while true {
            enum Next { case job(@Sendable () -> Void), wait, exit }
            let next = state.withLock { state -> Next in
                if !state.jobs.isEmpty { return .job(state.jobs.removeFirst()) }
                guard state.stopping else { return .wait }
                Posix.close(wakeFD)
                state.wakeFD = -1
                return .exit
            }
            switch next {
            case .job(let job):
                job()
            case .wait:
                // A job queued after the check above has already signalled the eventfd, so no wake-up is lost.
                _ = try? Posix.poll(wakeFD, for: .readable, timeoutMilliseconds: -1)
                Linux.eventFDDrain(wakeFD)
            case .exit:
                return
            }
        }
    }
}
