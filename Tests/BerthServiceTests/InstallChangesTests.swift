import BerthClient
import PortableEngine
import Testing

/// A PID 1 that does every job and reports the `[Install]` links as systemd does for a unit with
/// `WantedBy=multi-user.target`: one `symlink` per enabled file, one `unlink` per disabled unit.
private struct LinkReportingServiceManager: ServiceManager {
    static let attached = "/etc/systemd/system.attached"

    var isAvailable: Bool { true }
    func reload() async throws {}
    func start(_ units: [String], wait: Bool) async throws -> [QueuedJob] { Self.jobs(units, "StartUnit") }
    func stop(_ units: [String], wait: Bool) async throws -> [QueuedJob] { Self.jobs(units, "StopUnit") }
    func restart(_ units: [String], wait: Bool) async throws -> [QueuedJob] { Self.jobs(units, "RestartUnit") }

    /// Job paths numbered per call: enough to tell the jobs apart in a reply.
    static func jobs(_ units: [String], _ method: String) -> [QueuedJob] {
        units.enumerated().map { QueuedJob(unit: $1, path: "/org/freedesktop/systemd1/job/\($0 + 1)", method: method) }
    }
    func enable(unitFiles: [String], runtime: Bool) async throws -> [Change] {
        unitFiles.map { file in
            let name = String(file.split(separator: "/").last ?? "")
            return Change(kind: .symlink, path: Self.attached + "/multi-user.target.wants/" + name, source: file)
        }
    }
    func disable(_ units: [String], runtime: Bool) async throws -> [Change] {
        units.map { Change(kind: .unlink, path: Self.attached + "/multi-user.target.wants/" + $0) }
    }
    func isActive(_ unit: String) async throws -> Bool { false }
    func unitFileState(_ unit: String) async throws -> String? { nil }
}

@Suite("Replies carry the links enabling made and the jobs --now queued")
struct InstallChangesTests {
    @Test("attach --enable, reattach --enable and detach --enable reply with PID 1's links; without it none")
    func linksArriveThroughTheSocket() async throws {
        try await ServiceHarness.with(serviceManager: LinkReportingServiceManager()) { harness in
            let image = try harness.makeImage("demo", units: ["demo.service": "[Service]\nExecStart=/x\n"])
            let client = try await harness.client()
            let wants = LinkReportingServiceManager.attached + "/multi-user.target.wants/demo.service"
            let unitFile = LinkReportingServiceManager.attached + "/demo.service"

            let plain = try await client.attachImage(image: image)
            #expect(plain.installChanges ?? [] == [])
            _ = try await client.detachImage(image: image)

            let attached = try await client.attachImage(image: image, enable: true)
            #expect(attached.installChanges == [Portable.Change(type: .symlink, path: wants, source: unitFile)])
            let reattached = try await client.reattachImage(image: image, enable: true)
            #expect(reattached.installChanges == [Portable.Change(type: .symlink, path: wants, source: unitFile)])
            let detached = try await client.detachImage(image: image, enable: true)
            #expect(detached.installChanges == [Portable.Change(type: .unlink, path: wants, source: nil)])

            // --now: the jobs queued, for portablectl's "Queued … to call StartUnit on portable service …".
            let job = "/org/freedesktop/systemd1/job/1"
            let started = try await client.attachImage(image: image, now: true)
            #expect(started.jobs == [Portable.Job(unit: "demo.service", path: job, method: "StartUnit")])
            let restarted = try await client.reattachImage(image: image, now: true)
            #expect(restarted.jobs == [Portable.Job(unit: "demo.service", path: job, method: "RestartUnit")])
            let stopped = try await client.detachImage(image: image, now: true)
            #expect(stopped.jobs == [Portable.Job(unit: "demo.service", path: job, method: "StopUnit")])
            #expect(stopped.installChanges ?? [] == [])
        }
    }
}
