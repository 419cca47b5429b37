public import SystemCalls

/// A failure of the connection itself, as opposed to an error reply from the service
/// (`VarlinkRemoteError`). Clients throw it; a call that fails this way leaves the connection closed.
public enum VarlinkConnectionError: Error, Sendable, CustomStringConvertible {
    /// The address string could not be parsed.
    case invalidAddress(VarlinkAddressError)
    /// Connecting (or spawning the `exec:` program) failed.
    case connectFailed(address: String, SystemCallError)
    /// The peer closed the connection (before or during a reply).
    case closed
    /// No reply within the timeout; the connection is closed because the stream position is unknown.
    case timedOut
    /// The peer sent something that is not Varlink (bad JSON, wrong keys, fds at the wrong place).
    case protocolViolation(String)
    /// A message over the size limit, in either direction.
    case messageTooLarge(limit: Int)
    /// The connection was used after `close()` or after a previous failure.
    case notConnected
    /// Reading or writing failed.
    case io(SystemCallError)
    /// The call is not allowed in the connection's state (e.g. after an upgrade).
    case invalidUse(String)

    public var description: String {
        switch self {
        case .invalidAddress(let error): return error.description
        case .connectFailed(let address, let error): return "cannot connect to \(address): \(error)"
        case .closed: return "connection closed by the service"
        case .timedOut: return "timed out waiting for a reply"
        case .protocolViolation(let reason): return "protocol violation: \(reason)"
        case .messageTooLarge(let limit): return "message larger than \(limit) bytes"
        case .notConnected: return "not connected"
        case .io(let error): return "I/O error: \(error)"
        case .invalidUse(let reason): return reason
        }
    }
}
