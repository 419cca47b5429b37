package import Logging
import Synchronization
import SystemCalls

/// A process-wide maximum log level that every handler made by `SystemdLogging` consults.
///
/// `io.systemd.service.SetLogLevel` changes the level of the whole daemon at run time (as
/// `log_set_max_level()` does in systemd); a `Logger`'s own `logLevel` stays a value otherwise.
package final class LogLevelControl: Sendable {
    // Lock: the only mutable state; read on every log statement, written by SetLogLevel.
    private let override: Lock<Logger.Level?>

    /// - Parameter level: the initial override; nil leaves each handler at its own level.
    package init(level: Logger.Level? = nil) {
        self.override = Lock(level)
    }

    /// The level imposed on every handler, or nil when handlers use their own.
    package var level: Logger.Level? {
        get { override.withLock { $0 } }
        set { override.withLock { $0 = newValue } }
    }

    /// The level shared by handlers that were not given another control.
    package static let shared = LogLevelControl()
}

extension Logger.Level {
    /// The syslog priority (`0` emerg ... `7` debug) journald and `SetLogLevel` use.
    package var syslogPriority: Int {
        switch self {
        case .trace, .debug: return 7
        case .info: return 6
        case .notice: return 5
        case .warning: return 4
        case .error: return 3
        case .critical: return 2
        }
    }

    /// The swift-log level for a syslog priority; nil outside `0...7`.
    ///
    /// Priorities 0–2 (emerg, alert, crit) all become `.critical`, the most severe swift-log has.
    package init?(syslogPriority: Int) {
        switch syslogPriority {
        case 0, 1, 2: self = .critical
        case 3: self = .error
        case 4: self = .warning
        case 5: self = .notice
        case 6: self = .info
        case 7: self = .debug
        default: return nil
        }
    }
}
