import BerthService
package import PortableEngine
package import Systemd

/// The engine's `ServiceManager` on PID 1 over sd-bus (the Systemd module's `SystemdManager`).
///
/// Every call blocks inside sd-bus (reload, job waits), so each runs through `EngineExecutor.run` rather than
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

    package func unitSearchPath() async throws -> [String]? {
        let manager = manager
        return try await EngineExecutor.run { try manager.unitSearchPath() }
    }

    package func reload() async throws {
        let manager = manager
        try await EngineExecutor.run { try manager.reload() }
    }

    package func start(_ units: [String], wait: Bool) async throws -> [QueuedJob] {
        let manager = manager
        return try await EngineExecutor.run {
            try manager.startUnits(units, wait: wait).map { Self.queued($0, "StartUnit") }
        }
    }

    package func stop(_ units: [String], wait: Bool) async throws -> [QueuedJob] {
        let manager = manager
        return try await EngineExecutor.run {
            try manager.stopUnits(units, wait: wait).map { Self.queued($0, "StopUnit") }
        }
    }

    package func restart(_ units: [String], wait: Bool) async throws -> [QueuedJob] {
        let manager = manager
        return try await EngineExecutor.run {
            var jobs: [QueuedJob] = []
            for unit in units {
                jobs += try manager.restartUnit(unit, wait: wait).map { Self.queued($0, "RestartUnit") }
            }
            return jobs
        }
    }

    private static func queued(_ job: Job, _ method: String) -> QueuedJob {
        QueuedJob(unit: job.unit, path: job.path, method: method)
    }

    package func enable(unitFiles: [String], runtime: Bool) async throws -> [Change] {
        let manager = manager
        return try await EngineExecutor.run {
            try manager.enableUnitFiles(unitFiles, runtime: runtime, portable: true).compactMap(Self.change)
        }
    }

    package func disable(_ units: [String], runtime: Bool) async throws -> [Change] {
        let manager = manager
        return try await EngineExecutor.run {
            try manager.disableUnitFiles(units, runtime: runtime, portable: true).compactMap(Self.change)
        }
    }

    /// PID 1's report of a link it made or removed; other kinds (`is-mask`, …) are not file changes.
    private static func change(_ reported: UnitFileChange) -> Change? {
        switch reported.type {
        case "symlink": Change(kind: .symlink, path: reported.path, source: reported.source)
        case "unlink": Change(kind: .unlink, path: reported.path)
        default: nil
        }
    }

    package func isActive(_ unit: String) async throws -> Bool {
        let manager = manager
        return try await EngineExecutor.run {
            guard PortableNames.isTemplate(unit) else {
                return try manager.loadedActiveState(of: unit).map(Self.running.contains) ?? false
            }
            // A template never runs itself; its instances do (portabled asks ListUnitsByPatterns too).
            return try manager.activeStates(matching: [Self.pattern(unit)]).values.contains(
                where: Self.running.contains
            )
        }
    }

    /// One ListUnitsByPatterns for all of them (exact names and template patterns; units that are not
    /// loaded are not listed, and not loaded by asking), instead of GetUnit + ActiveState per unit: attach
    /// checked two units in four round trips. Names with a backslash (an escape to fnmatch) go one by one.
    package func activeUnits(_ units: [String]) async throws -> Set<String> {
        guard !units.isEmpty else { return [] }
        guard !units.contains(where: { $0.contains("\\") }) else { return try await activeUnitsOneByOne(units) }
        let manager = manager
        let patterns = units.map(Self.pattern)
        return try await EngineExecutor.run {
            let states = try manager.activeStates(matching: patterns)
            let runningNames = Set(states.filter { Self.running.contains($0.value) }.keys)
            var active: Set<String> = []
            for (unit, pattern) in zip(units, patterns) {
                let isRunning =
                    pattern == unit
                    ? runningNames.contains(unit)
                    : runningNames.contains { Self.isInstance($0, of: unit) }
                if isRunning { active.insert(unit) }
            }
            return active
        }
    }

    /// Active states that count as running (`isActive`).
    static let running: Set<String> = ["activating", "active", "reloading", "deactivating"]

    /// `foo@.service` → `foo@*.service`; other names match themselves.
    static func pattern(_ unit: String) -> String {
        guard PortableNames.isTemplate(unit), let at = unit.firstIndex(of: "@") else { return unit }
        return String(unit[...at]) + "*" + unit[unit.index(after: at)...]
    }

    /// Whether `name` is an instance of the template `template` (`foo@a.service` of `foo@.service`).
    static func isInstance(_ name: String, of template: String) -> Bool {
        guard let at = template.firstIndex(of: "@") else { return false }
        let prefix = template[...at]
        let suffix = template[template.index(after: at)...]
        return name.hasPrefix(prefix) && name.hasSuffix(suffix) && name.count > template.count
    }

    package func unitFileState(_ unit: String) async throws -> String? {
        let manager = manager
        return try await EngineExecutor.run {
            do {
                return try manager.unitFileState(unit)
            } catch let error as SystemdError where error.busErrorName == "org.freedesktop.systemd1.NoSuchUnit" {
                return nil
            }
        }
    }
}
