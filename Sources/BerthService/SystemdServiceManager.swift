import PortableEngine
package import Systemd

/// The engine's `ServiceManager` on PID 1 over sd-bus (the Systemd module's `SystemdManager`).
///
/// Every call blocks inside sd-bus (reload, job waits), so each runs on `BlockingWork` rather than
/// on a cooperative-pool thread. When PID 1 is not systemd, `isAvailable` is false and the engine
/// does the file work only; the service says so once in the log.
package struct SystemdServiceManager: ServiceManager {
    package var manager: SystemdManager

    package init(manager: SystemdManager = SystemdManager()) {
        self.manager = manager
    }

    package static var systemdIsRunning: Bool { SystemdManager.isSystemdRunning }

    package var isAvailable: Bool {
        get async { SystemdManager.isSystemdRunning }
    }

    package func reload() async throws {
        let manager = manager
        try await BlockingWork.run { try manager.reload() }
    }

    package func start(_ units: [String], wait: Bool) async throws {
        let manager = manager
        try await BlockingWork.run { _ = try manager.startUnits(units, wait: wait) }
    }

    package func stop(_ units: [String], wait: Bool) async throws {
        let manager = manager
        try await BlockingWork.run { _ = try manager.stopUnits(units, wait: wait) }
    }

    package func restart(_ units: [String], wait: Bool) async throws {
        let manager = manager
        try await BlockingWork.run {
            for unit in units { _ = try manager.restartUnit(unit, wait: wait) }
        }
    }

    package func enable(unitFiles: [String], runtime: Bool) async throws {
        let manager = manager
        try await BlockingWork.run { _ = try manager.enableUnitFiles(unitFiles, runtime: runtime, portable: true) }
    }

    package func disable(_ units: [String], runtime: Bool) async throws {
        let manager = manager
        try await BlockingWork.run { _ = try manager.disableUnitFiles(units, runtime: runtime, portable: true) }
    }

    package func isActive(_ unit: String) async throws -> Bool {
        let manager = manager
        let running: Set<String> = ["activating", "active", "reloading", "deactivating"]
        return try await BlockingWork.run {
            guard PortableNames.isTemplate(unit) else {
                return try manager.loadedActiveState(of: unit).map(running.contains) ?? false
            }
            // A template never runs itself; its instances do (portabled asks ListUnitsByPatterns too).
            guard let at = unit.firstIndex(of: "@") else { return false }
            let pattern = String(unit[...at]) + "*" + unit[unit.index(after: at)...]
            return try manager.activeStates(matching: [pattern]).values.contains(where: running.contains)
        }
    }

    package func unitFileState(_ unit: String) async throws -> String? {
        let manager = manager
        return try await BlockingWork.run {
            do {
                return try manager.unitFileState(unit)
            } catch let error as SystemdError where error.busErrorName == "org.freedesktop.systemd1.NoSuchUnit" {
                return nil
            }
        }
    }
}
