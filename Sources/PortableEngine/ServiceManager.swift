/// What the engine needs from PID 1. The Systemd module implements it over sd-bus; the service bridges.
///
/// Unit names are plain names (`foo.service`); `enable` takes the attached unit file paths as PID 1 sees
/// them. All calls may be made from any task; implementations serialize internally as needed.
package protocol ServiceManager: Sendable {
    /// Whether a service manager is reachable (PID 1 is systemd and its bus answers).
    var isAvailable: Bool { get async }
    /// daemon-reload.
    func reload() async throws
    /// Starts the units; with `wait`, returns when their jobs finished. Returns the jobs queued.
    func start(_ units: [String], wait: Bool) async throws -> [QueuedJob]
    /// Stops the units; with `wait`, returns when their jobs finished. Returns the jobs queued.
    func stop(_ units: [String], wait: Bool) async throws -> [QueuedJob]
    /// Restarts the units (keeps the fd store; less downtime than stop + start). Returns the jobs queued.
    func restart(_ units: [String], wait: Bool) async throws -> [QueuedJob]
    /// EnableUnitFilesWithFlags with the portable flag (and the runtime flag when `runtime`); returns the
    /// symlinks PID 1 reports it created (portablectl prints them).
    func enable(unitFiles: [String], runtime: Bool) async throws -> [Change]
    /// DisableUnitFilesWithFlags with the portable flag (and the runtime flag when `runtime`); returns the
    /// symlinks PID 1 reports it removed.
    func disable(_ units: [String], runtime: Bool) async throws -> [Change]
    /// Whether the unit is activating, active, reloading or deactivating. For a template (`foo@.service`),
    /// whether any instance is.
    func isActive(_ unit: String) async throws -> Bool
    /// Which of `units` are active, as `isActive` says for each: one question to PID 1 where it can be.
    func activeUnits(_ units: [String]) async throws -> Set<String>
    /// The unit file state (`enabled`, `static`, `disabled`, `linked`, …); nil if unknown.
    func unitFileState(_ unit: String) async throws -> String?
    /// The directories the manager loads units from; nil if unknown (then nothing is checked).
    func unitSearchPath() async throws -> [String]?
}

extension ServiceManager {
    package func unitSearchPath() async throws -> [String]? { nil }

    package func activeUnits(_ units: [String]) async throws -> Set<String> {
        try await activeUnitsOneByOne(units)
    }

    /// `activeUnits` by asking `isActive` for each unit.
    package func activeUnitsOneByOne(_ units: [String]) async throws -> Set<String> {
        var active: Set<String> = []
        for unit in units where try await isActive(unit) { active.insert(unit) }
        return active
    }
}

/// The manager for `--root` and offline use: nothing is running, nothing is enabled, every request is a no-op.
package struct OfflineServiceManager: ServiceManager {
    package init() {}

    package var isAvailable: Bool { false }
    package func reload() async throws {}
    package func start(_ units: [String], wait: Bool) async throws -> [QueuedJob] { [] }
    package func stop(_ units: [String], wait: Bool) async throws -> [QueuedJob] { [] }
    package func restart(_ units: [String], wait: Bool) async throws -> [QueuedJob] { [] }
    package func enable(unitFiles: [String], runtime: Bool) async throws -> [Change] { [] }
    package func disable(_ units: [String], runtime: Bool) async throws -> [Change] { [] }
    package func isActive(_ unit: String) async throws -> Bool { false }
    package func unitFileState(_ unit: String) async throws -> String? { nil }
}

extension ServiceManager {
    /// Starts sockets, paths and timers before services and targets, so a service cannot win the race
    /// against its own socket (portablectl starts them one by one in no fixed order).
    func startInOrder(_ units: [String], wait: Bool) async throws -> [QueuedJob] {
        let (triggers, rest) = Self.splitTriggers(units)
        var jobs: [QueuedJob] = []
        if !triggers.isEmpty { jobs += try await start(triggers, wait: true) }
        if !rest.isEmpty { jobs += try await start(rest, wait: wait) }
        return jobs
    }

    /// Stops services first, then their triggers, so nothing re-activates a service being stopped.
    func stopInOrder(_ units: [String], wait: Bool) async throws -> [QueuedJob] {
        let (triggers, rest) = Self.splitTriggers(units)
        var jobs: [QueuedJob] = []
        if !triggers.isEmpty { jobs += try await stop(triggers, wait: true) }
        if !rest.isEmpty { jobs += try await stop(rest, wait: wait) }
        return jobs
    }

    static func splitTriggers(_ units: [String]) -> (triggers: [String], rest: [String]) {
        let startable = units.filter { !PortableNames.isTemplate($0) }
        let triggers = startable.filter { $0.hasSuffix(".socket") || $0.hasSuffix(".path") || $0.hasSuffix(".timer") }
        let rest = startable.filter { !triggers.contains($0) }
        return (triggers, rest)
    }
}
