/// polkit's CheckAuthorization, as the service needs it. BerthService does not link libsystemd:
/// berthd injects the sd-bus client (`PolkitBusChecker` in BerthDBus); nil in the configuration
/// means no polkit, so the admin group decides.
package protocol PolkitChecking: Sendable {
    /// polkit's answer for `subject` and the action id; `.unavailable` when polkit is not on the bus.
    /// A failure of the question itself is thrown (and refuses the call).
    func check(action: String, subject: PolkitSubject, interactive: Bool) async throws -> PolkitVerdict
}

/// Who asks, as polkit names it.
package enum PolkitSubject: Sendable, Equatable {
    /// A D-Bus client by its unique name (`system-bus-name`), which the bus vouches for.
    case busName(String)
    /// A local process (`unix-process`); the start time guards against a reused pid.
    case unixProcess(pid: Int32, startTime: UInt64, uid: UInt32)
}

/// polkit's answer, or that there is no polkit to ask.
package enum PolkitVerdict: Sendable, Equatable {
    case authorized
    /// Not authorized, but authenticating would help (polkit's `is_challenge`).
    case challenge
    case denied
    /// polkit is not on the bus (the name has no owner and cannot be activated), or there is no bus.
    case unavailable
}
