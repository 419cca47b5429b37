import BerthService
import Systemd

/// WatchImages' PID 1 signals over sd-bus: one `UnitSignalMonitor` (its own connection and thread) per
/// subscription, which the service holds only while a watcher is connected.
struct SystemdUnitSignals: UnitChangeSignals {
    var manager: SystemdManager

    func subscribe(_ changed: @escaping @Sendable (_ unit: String?) -> Void) throws -> any UnitChangeSubscription {
        try UnitSignalMonitor(manager: manager, changed: changed)
    }
}

extension UnitSignalMonitor: UnitChangeSubscription {}
