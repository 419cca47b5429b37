import BerthClient
import VarlinkJSON

/// What PID 1 did for an attach, detach or reattach besides Berth's file changes: the `[Install]` links
/// `--enable` made or removed and the jobs `--now` queued, printed where portablectl prints them.
struct ServiceReport {
    var installChanges: [Portable.Change]
    var jobs: [Portable.Job]

    init(installChanges: [Portable.Change]?, jobs: [Portable.Job]?) {
        self.installChanges = installChanges ?? []
        self.jobs = jobs ?? []
    }

    /// Attach and reattach: the links enabling made, then the jobs queued (portablectl 257/262).
    var linesAfterChanges: String {
        ChangePrinter.installLines(for: installChanges) + ChangePrinter.jobLines(for: jobs)
    }

    /// Detach: the stop jobs, then the links disabling removed, before the detach's own changes.
    var linesBeforeDetaching: String {
        ChangePrinter.jobLines(for: jobs) + ChangePrinter.installLines(for: installChanges)
    }

    /// `--json`: both lists, when there is something in them.
    func add(to fields: inout JSONObject) {
        if !installChanges.isEmpty { fields["installChanges"] = .array(installChanges.map(\.json)) }
        if !jobs.isEmpty {
            fields["jobs"] = .array(
                jobs.map {
                    .object(["unit": .string($0.unit), "path": .string($0.path), "method": .string($0.method)])
                }
            )
        }
    }
}
