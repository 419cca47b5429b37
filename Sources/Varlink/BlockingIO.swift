import Synchronization
import SystemCalls

/// Runs blocking work on a fresh OS thread so the cooperative pool never waits on a socket.
///
/// A thread costs tens of microseconds, which is small next to the round trips the client makes;
/// it keeps the client free of a shared event loop and of any global state.
enum BlockingIO {
    static func run<T: Sendable>(
        _ body: @escaping @Sendable () -> Result<T, VarlinkConnectionError>
    ) async -> Result<T, VarlinkConnectionError> {
        await withCheckedContinuation { continuation in
            do throws(SystemCallError) {
                try Posix.startThread { continuation.resume(returning: body()) }
            } catch {
                continuation.resume(returning: .failure(.io(error)))
            }
        }
    }
}

/// Serializes operations on one client connection: Varlink has no request ids, so one call (or
/// stream) at a time owns the socket. Waiters are resumed in arrival order.
final class AsyncLock: Sendable {
    private struct State {
        var locked = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }
    private let state = Mutex<State>(State())

    func lock() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let acquired = state.withLock { state -> Bool in
                if !state.locked {
                    state.locked = true
                    return true
                }
                state.waiters.append(continuation)
                return false
            }
            if acquired { continuation.resume() }
        }
    }

    func unlock() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if state.waiters.isEmpty {
                state.locked = false
                return nil
            }
            return state.waiters.removeFirst()
        }
        next?.resume()
    }
}
