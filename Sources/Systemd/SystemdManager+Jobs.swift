/// How PID 1 queues a job relative to jobs already queued (`systemctl --job-mode=`).
package enum JobMode: String, Sendable, CaseIterable {
    case replace
    case fail
    case isolate
    case ignoreDependencies = "ignore-dependencies"
    case ignoreRequirements = "ignore-requirements"
}

/// A job PID 1 queued for one unit, and how it ended.
package struct Job: Sendable, Equatable {
    /// The unit the job is for.
    package var unit: String
    /// The job's object path, as `systemctl` prints it (`/org/freedesktop/systemd1/job/42`).
    package var path: String
    /// `done`, `skipped`, ... once finished; nil when not waited for (`--no-block`).
    package var result: String?
}

/// `EnableUnitFilesWithFlags`/`DisableUnitFilesWithFlags` flags (stable D-Bus API values).
struct UnitFileFlags: OptionSet {
    let rawValue: UInt64
    static let runtime = UnitFileFlags(rawValue: 1 << 0)
    static let force = UnitFileFlags(rawValue: 1 << 1)
    static let portable = UnitFileFlags(rawValue: 1 << 2)

    init(rawValue: UInt64) {
        self.rawValue = rawValue
    }

    init(runtime: Bool, force: Bool, portable: Bool) {
        var flags: UnitFileFlags = []
        if runtime { flags.insert(.runtime) }
        if force { flags.insert(.force) }
        if portable { flags.insert(.portable) }
        self = flags
    }
}

extension SystemdManager {
    /// Queues one job per (unit, method) in order on one connection, then waits for all of them.
    ///
    /// - Throws: `.jobFailed` for the first job (in queue order) whose result is not `done` or
    ///   `skipped`; `.timedOut` when they do not finish within `timeout`.
    func runJobs(_ requests: [(unit: String, method: String)], mode: JobMode, wait: Bool) throws(SystemdError) -> [Job]
    {
        guard !requests.isEmpty else { return [] }
        for request in requests where request.unit.isEmpty || request.unit.utf8.contains(0) {
            throw .invalidArgument("invalid unit name '\(request.unit)'")
        }
        let bus = try connect()
        let watcher = wait ? try JobWatcher(on: bus) : nil
        defer { watcher?.cancel() }
        var jobs: [Job] = []
        for request in requests {
            let message = try bus.methodCall(member: request.method)
            try message.append(request.unit)
            try message.append(mode.rawValue)
            let path = try bus.call(message, method: "\(request.method)(\(request.unit))", timeout: timeout)
                .readObjectPath()
            jobs.append(Job(unit: request.unit, path: path, result: nil))
        }
        guard let watcher else { return jobs }
        let deadline = ContinuousClock.now + timeout
        let operation = "jobs of " + jobs.map(\.unit).joined(separator: ", ")
        try bus.process(until: deadline, operation: operation) {
            jobs.allSatisfy { watcher.results[$0.path] != nil }
        }
        for index in jobs.indices { jobs[index].result = watcher.results[jobs[index].path] }
        if let failed = jobs.first(where: { $0.result != "done" && $0.result != "skipped" }) {
            throw .jobFailed(unit: failed.unit, job: failed.path, result: failed.result ?? "unknown")
        }
        return jobs
    }
}
