import Synchronization
import SystemCalls

/// The I/O loop of the clients: one epoll thread per process, started by the first client that has
/// to wait somewhere it must not block (a task on the cooperative pool). It runs no client code: it
/// only resumes the waiting task when its socket is ready or its deadline has passed, and the task
/// then reads or writes without blocking, on its own executor.
///
/// A wait registers the socket for one event (`EPOLL_CTL_ADD`), and the loop removes it again as it
/// fires, so a socket is in the epoll set only while a task waits on it and a closed descriptor's
/// number can never deliver a stale event.
final class ClientIOLoop: Sendable {
    static let shared = ClientIOLoop()

    /// How a wait ended.
    enum Outcome: Sendable {
        case ready
        case timedOut
        case failed(SystemCallError)
    }

    private struct Waiter {
        let fd: Int32
        let deadline: UInt64?
        let continuation: CheckedContinuation<Outcome, Never>
    }

    private struct State {
        var epollFD: Int32 = -1
        var wakeFD: Int32 = -1
        var startFailure: SystemCallError?
        var waiters: [UInt64: Waiter] = [:]
        var nextToken: UInt64 = 1
        /// When the loop wakes up by itself (`nil`: never); an earlier deadline must wake it.
        var sleepsUntil: UInt64?
    }
    private let state = Lock<State>(State())
    private static let wakeToken: UInt64 = 0

    /// Suspends until `fd` is ready for `direction`, or `deadline` (monotonic ns) has passed.
    func wait(for fd: Int32, _ direction: Posix.PollDirection, deadline: UInt64?) async -> Outcome {
        await withCheckedContinuation { continuation in
            let (immediate, wakeFD) = state.withLock { state -> (Outcome?, Int32) in
                if state.epollFD < 0 {
                    if let failure = state.startFailure ?? start(&state) { return (.failed(failure), -1) }
                }
                let token = state.nextToken
                state.nextToken += 1
                do throws(SystemCallError) {
                    try Linux.epollAdd(
                        state.epollFD,
                        fd,
                        interest: direction == .readable ? .readable : .writable,
                        token: token
                    )
                } catch {
                    return (.failed(error), -1)
                }
                state.waiters[token] = Waiter(fd: fd, deadline: deadline, continuation: continuation)
                guard let deadline, state.sleepsUntil.map({ deadline < $0 }) ?? true else { return (nil, -1) }
                return (nil, state.wakeFD)
            }
            if let immediate { continuation.resume(returning: immediate) }
            if wakeFD >= 0 { Linux.eventFDSignal(wakeFD) }
        }
    }

    /// Ends the wait on `fd`, if any (it resumes as ready and finds the socket shut down). Called before
    /// the descriptor is closed: a closed descriptor leaves the epoll set without an event.
    func forget(_ fd: Int32) {
        let resumed = state.withLock { state -> [CheckedContinuation<Outcome, Never>] in
            let tokens = state.waiters.filter { $0.value.fd == fd }.map(\.key)
            return tokens.compactMap { token in
                Linux.epollRemove(state.epollFD, fd)
                return state.waiters.removeValue(forKey: token)?.continuation
            }
        }
        for continuation in resumed { continuation.resume(returning: .ready) }
    }

    /// Creates the epoll set and starts the thread; the error, if any, is kept for every later wait.
    private func start(_ state: inout State) -> SystemCallError? {
        do throws(SystemCallError) {
            let epollFD = try Linux.epollCreate()
            let wakeFD: Int32
            do {
                wakeFD = try Linux.eventFD()
                try Linux.epollAdd(epollFD, wakeFD, interest: .readable, token: Self.wakeToken)
                try Posix.startThread { [self] in run(epollFD: epollFD, wakeFD: wakeFD) }
            } catch {
                Posix.close(epollFD)
                throw error
            }
            state.epollFD = epollFD
            state.wakeFD = wakeFD
            return nil
        } catch {
            state.startFailure = error
            return error
        }
    }

    private func run(epollFD: Int32, wakeFD: Int32) {
        var events: [EpollEvent] = []
        events.reserveCapacity(64)
        let buffer = Linux.EpollBuffer(capacity: 64)
        while true {
            let timeout = state.withLock { state -> Int32 in
                let earliest = state.waiters.values.compactMap(\.deadline).min()
                state.sleepsUntil = earliest
                guard let earliest else { return -1 }
                let now = Posix.monotonicNanoseconds()
                return earliest <= now ? 0 : Int32(clamping: (earliest - now) / 1_000_000 + 1)
            }
            do {
                try Linux.epollWait(epollFD, into: &events, buffer: buffer, timeoutMilliseconds: timeout)
            } catch {
                // Only EBADF/EFAULT/EINVAL are possible here, none of which a retry fixes: fail every wait.
                failAll(error)
                return
            }
            let now = Posix.monotonicNanoseconds()
            let resumed = state.withLock { state -> [(CheckedContinuation<Outcome, Never>, Outcome)] in
                var resumed: [(CheckedContinuation<Outcome, Never>, Outcome)] = []
                for event in events {
                    if event.token == Self.wakeToken {
                        Linux.eventFDDrain(wakeFD)
                    } else if let waiter = state.waiters.removeValue(forKey: event.token) {
                        Linux.epollRemove(epollFD, waiter.fd)
                        resumed.append((waiter.continuation, .ready))
                    }
                }
                for (token, waiter) in state.waiters where waiter.deadline.map({ $0 <= now }) ?? false {
                    state.waiters.removeValue(forKey: token)
                    Linux.epollRemove(epollFD, waiter.fd)
                    resumed.append((waiter.continuation, .timedOut))
                }
                return resumed
            }
            for (continuation, outcome) in resumed { continuation.resume(returning: outcome) }
        }
    }

    private func failAll(_ error: SystemCallError) {
        let waiters = state.withLock { state -> [Waiter] in
            defer { state.waiters.removeAll() }
            state.startFailure = error
            state.epollFD = -1
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.continuation.resume(returning: .failed(error)) }
    }
}
