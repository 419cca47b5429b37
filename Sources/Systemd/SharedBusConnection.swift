import Synchronization
import SystemCalls

#if canImport(Glibc)
import Glibc
#endif

/// One sd-bus connection to PID 1 kept open for short request/reply calls (unit states, property
/// reads), so a query costs one round trip instead of a connect, an authentication and a close.
///
/// It goes to the system bus where there is one: there PID 1's signals reach only connections that
/// asked for them, where on its private socket they reach every connection (each call first drops
/// what queued up since the last). sd-bus objects are not thread-safe: the connection is only touched
/// under the lock, one call at a time. Calls that wait long (daemon-reload, job watches) keep their
/// own connections so they never hold up queries. A connection PID 1 closed (daemon-reexec) is reopened once and the call retried.
final class SharedBusConnection: Sendable {
    private let connection = Lock<BusConnection?>(nil)

    /// Errors meaning the peer went away, after which the call is retried on a fresh connection.
    private static let connectionLost: Set<Int32> = [ENOTCONN, ECONNRESET, EPIPE, ESHUTDOWN, ECONNREFUSED]

    func withConnection<Result: Sendable>(
        connect: () throws(SystemdError) -> BusConnection,
        _ body: (borrowing BusConnection) throws(SystemdError) -> Result
    ) throws(SystemdError) -> Result {
        try connection.withLock { (cached: inout BusConnection?) throws(SystemdError) -> Result in
            var retried = false
            while true {
                if cached == nil { cached = try connect() }
                do throws(SystemdError) {
                    switch cached {
                    case .some(let bus):
                        bus.discardPending()
                        return try body(bus)
                    case .none: continue
                    }
                } catch {
                    guard !retried, case .systemCall(let failure) = error, Self.connectionLost.contains(failure.errno)
                    else { throw error }
                    cached = nil
                    retried = true
                }
            }
        }
    }
}
