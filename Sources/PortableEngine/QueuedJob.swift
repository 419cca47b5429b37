/// A job PID 1 queued for an operation's `--now` (start, stop, restart), as portablectl reports it:
/// "Queued /org/freedesktop/systemd1/job/42 to call StartUnit on portable service foo.service."
package struct QueuedJob: Sendable, Hashable {
    /// The unit the job is for.
    package var unit: String
    /// The job's object path.
    package var path: String
    /// The manager method that queued it: `StartUnit`, `StopUnit` or `RestartUnit`.
    package var method: String

    package init(unit: String, path: String, method: String) {
        self.unit = unit
        self.path = path
        self.method = method
    }
}
