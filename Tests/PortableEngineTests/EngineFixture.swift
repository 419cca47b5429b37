import Foundation
import PortableEngine
import TestSupport

/// A host tree in a temp dir (`<tmp>/root`), a planted secret outside it, and an engine in `--root` mode.
final class EngineFixture: @unchecked Sendable {
    static let secret = "TOP-SECRET-HOST-CONTENT-7f3a"
    /// On tmpfs where available: the engine fsyncs every write, which costs milliseconds each on a disk
    /// and would make the crash-consistency sweeps slow; the semantics under test are the same.
    let temp = TempDirectory(prefix: "berth-engine", base: access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp")
    let host: ImageTreeBuilder
    let secretPath: String
    var configuration: EngineConfiguration

    /// Berth's shipped profiles, found next to this package.
    static let profilesDirectory = RepositoryLayout.profilesDirectory

    init() {
        host = ImageTreeBuilder(root: temp.join("root"))
        secretPath = temp.join("secret")
        _ = FileManager.default.createFile(atPath: secretPath, contents: Data(Self.secret.utf8))
        // Also inside the tree but outside every image, like /etc/shadow.
        host.file("etc/shadow", Self.secret + "\n", mode: 0o600)
        host.directory("var/lib/portables")
        host.directory("run")
        configuration = EngineConfiguration(root: host.root, berthProfileDirectories: [Self.profilesDirectory])
    }

    func engine(serviceManager: any ServiceManager = OfflineServiceManager()) throws -> PortableEngine {
        try PortableEngine(configuration: configuration, serviceManager: serviceManager)
    }

    /// A portable image directory in `/var/lib/portables/<name>` of the tree.
    @discardableResult
    func image(
        _ name: String,
        osRelease: String = "ID=debian\nVERSION_ID=12\n",
        units: [String: String]
    ) -> ImageTreeBuilder {
        let builder = ImageTreeBuilder(root: host.root + "/var/lib/portables/" + name)
        builder.portableImage(osRelease: osRelease, units: units)
        return builder
    }

    /// A tree path's content on disk (nil if missing).
    func read(_ treePath: String) -> String? {
        FileManager.default.contents(atPath: host.root + treePath).map { String(decoding: $0, as: UTF8.self) }
    }

    func linkTarget(_ treePath: String) -> String? {
        try? FileManager.default.destinationOfSymbolicLink(atPath: host.root + treePath)
    }

    func exists(_ treePath: String) -> Bool {
        var status = stat()
        return lstat(host.root + treePath, &status) == 0
    }

    /// Everything in the host tree, minus the images and lock files (for before/after comparisons).
    func hostSnapshot() -> [String: String] {
        host.snapshot(excluding: ["run/berth"])
    }

    /// Asserts the secret is in none of the strings.
    static func leaks(_ texts: [String]) -> Bool {
        texts.contains { $0.contains(secret) }
    }
}

/// A ServiceManager that records calls, with configurable active units (a real protocol implementation,
/// standing in for PID 1, which the tests cannot own).
final class RecordingServiceManager: ServiceManager, @unchecked Sendable {
    private let lock = NSLock()
    private var calls: [String] = []
    var activeUnits: Set<String> = []

    var isAvailable: Bool { true }

    var log: [String] { lock.withLock { calls } }

    private func record(_ call: String) { lock.withLock { calls.append(call) } }

    func reload() async throws { record("reload") }
    func start(_ units: [String], wait: Bool) async throws -> [QueuedJob] {
        record("start \(units.joined(separator: " "))")
        return jobs(units, "StartUnit")
    }
    func stop(_ units: [String], wait: Bool) async throws -> [QueuedJob] {
        record("stop \(units.joined(separator: " "))")
        return jobs(units, "StopUnit")
    }
    func restart(_ units: [String], wait: Bool) async throws -> [QueuedJob] {
        record("restart \(units.joined(separator: " "))")
        return jobs(units, "RestartUnit")
    }

    /// One job per unit, numbered by the calls recorded so far.
    private func jobs(_ units: [String], _ method: String) -> [QueuedJob] {
        let call = lock.withLock { calls.count }
        return units.map { QueuedJob(unit: $0, path: "/org/freedesktop/systemd1/job/\(call)", method: method) }
    }
    /// Reports what PID 1 would for units with `WantedBy=multi-user.target`: one link each.
    func enable(unitFiles: [String], runtime: Bool) async throws -> [Change] {
        record("enable \(unitFiles.joined(separator: " "))")
        return unitFiles.map { file in
            let directory = (file as NSString).deletingLastPathComponent
            let link = directory + "/multi-user.target.wants/" + (file as NSString).lastPathComponent
            return Change(kind: .symlink, path: link, source: file)
        }
    }
    func disable(_ units: [String], runtime: Bool) async throws -> [Change] {
        record("disable \(units.joined(separator: " "))")
        let directory = runtime ? "/run/systemd/system.attached" : "/etc/systemd/system.attached"
        return units.map { Change(kind: .unlink, path: directory + "/multi-user.target.wants/" + $0) }
    }
    func isActive(_ unit: String) async throws -> Bool { lock.withLock { activeUnits.contains(unit) } }
    func unitFileState(_ unit: String) async throws -> String? { nil }
}
