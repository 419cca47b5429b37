package import SystemCalls

/// Everything the Systemd module can fail with.
///
/// Each case carries what an operator needs to act on it: the variable, the D-Bus error name
/// or the unit and job result. `description` is the text the daemon and the CLI print.
package enum SystemdError: Error, Sendable, Equatable, CustomStringConvertible {
    /// PID 1 is not systemd (no `/run/systemd/system`), so there is no service manager to talk to.
    case notBooted
    /// A socket-activation or notification variable is malformed.
    case invalidEnvironment(variable: String, value: String, reason: String)
    /// `LISTEN_FDS` is set but `LISTEN_PID` names another process: the fds are not ours.
    case listenPIDMismatch(listenPID: String, ownPID: Int32)
    /// A libsystemd call returned a negative errno.
    case systemCall(SystemCallError)
    /// PID 1 (or the bus) answered a method call with a D-Bus error.
    case busCall(method: String, errorName: String, message: String)
    /// A job finished with a result other than `done`/`skipped`.
    case jobFailed(unit: String, job: String, result: String)
    /// Waiting for PID 1 took longer than the configured timeout.
    case timedOut(operation: String)
    /// The caller passed something PID 1 would reject anyway (empty unit name, NUL bytes...).
    case invalidArgument(String)

    package var description: String {
        switch self {
        case .notBooted:
            return "PID 1 is not systemd (/run/systemd/system does not exist); no service manager to talk to"
        case .invalidEnvironment(let variable, let value, let reason):
            return "invalid \(variable)=\(value): \(reason)"
        case .listenPIDMismatch(let listenPID, let ownPID):
            return "LISTEN_FDS is set for PID \(listenPID), but this process is PID \(ownPID): not adopting those fds"
        case .systemCall(let error):
            return error.description
        case .busCall(let method, let errorName, let message):
            return "\(method) failed: \(message) (\(errorName))"
        case .jobFailed(let unit, let job, let result):
            return "job \(job) for \(unit) finished with result '\(result)'"
                + " (see 'systemctl status \(unit)' and 'journalctl -u \(unit)')"
        case .timedOut(let operation):
            return "timed out waiting for \(operation)"
        case .invalidArgument(let text):
            return text
        }
    }

    /// The D-Bus error name when PID 1 refused a call, for callers that map it to their own errors.
    package var busErrorName: String? {
        if case .busCall(_, let name, _) = self { return name }
        return nil
    }
}
