import Foundation
import PortableEngine
import TestSupport
import Testing

/// Aborts attach, detach and reattach at every step (the test-only fault hook stops `apply` dead, as a
/// kill -9 would: no cleanup runs), then checks recovery leaves exactly the old or the new state.
@Suite("Crash consistency")
struct CrashConsistencyTests {
    static let service = "[Service]\nExecStart=/usr/bin/app\n"

    /// Sets up a fixture in the "before" state of an operation.
    typealias Setup = (EngineFixture, PortableEngine) async throws -> Void
    typealias Operation = (PortableEngine) async throws -> Void

    private static func makeImages(_ fixture: EngineFixture) {
        fixture.image(
            "app_1",
            units: [
                "app.service": service, "app.socket": "[Socket]\nListenStream=/run/a\n", "app-old.service": service,
            ]
        )
        fixture.image(
            "app_2",
            units: [
                "app.service": service + "# v2\n", "app.socket": "[Socket]\nListenStream=/run/a\n",
                "app-new.service": service,
            ]
        )
        ImageTreeBuilder(root: fixture.host.root + "/srv/ext/app_3").portableImage(units: ["app.service": service])
    }

    /// Everything except the lock directory; leftovers of a transaction would show up here.
    /// The attached directories (and their parents) are created just before the intent record that lives
    /// in them, and rollback keeps them and the portables directories (they are shared with concurrent
    /// operations on other images); an empty shared directory is not state.
    private static func state(_ fixture: EngineFixture) -> [String: String] {
        var snapshot = fixture.hostSnapshot()
        for directory in [
            "etc/systemd/system.attached", "run/systemd/system.attached", "etc/systemd", "run/systemd", "etc/portables",
            "run/portables",
        ]
        where snapshot[directory] == "dir" && !snapshot.keys.contains(where: { $0.hasPrefix(directory + "/") }) {
            snapshot.removeValue(forKey: directory)
        }
        return snapshot
    }

    private static func run(
        name: String,
        setup: Setup,
        operation: Operation
    ) async throws {
        // A clean run: the step names, and the before/after states.
        let reference = EngineFixture()
        makeImages(reference)
        let steps = StepRecorder()
        reference.configuration.faultHook = { step in steps.append(step) }
        let referenceEngine = try reference.engine()
        try await setup(reference, referenceEngine)
        steps.reset()
        let old = state(reference)
        try await operation(referenceEngine)
        let new = state(reference)
        let names = steps.all
        #expect(names.count >= 6, "\(name): too few steps \(names)")
        #expect(old != new)

        var committed = false
        for (index, step) in names.enumerated() {
            if step == "committed" { committed = true }
            let fixture = EngineFixture()
            makeImages(fixture)
            let crashAt = index
            let counter = StepRecorder()
            fixture.configuration.faultHook = { step in
                counter.append(step)
                if counter.all.count - 1 == crashAt { throw CrashHere() }
            }
            let engine = try fixture.engine()
            counter.block = true
            try await setup(fixture, engine)
            counter.block = false
            counter.reset()
            do {
                try await operation(engine)
                Issue.record("\(name): no crash at step \(step)")
            } catch {
                #expect("\(error)".contains("simulated crash"), "\(name) at \(step): \(error)")
            }
            // "The next start": a fresh engine on the same tree recovers.
            fixture.configuration.faultHook = nil
            let restarted = try fixture.engine()
            let report = restarted.recover()
            let recovered = state(fixture)
            let expected = committed ? new : old
            let differences = Set(recovered.keys).union(expected.keys).filter { recovered[$0] != expected[$0] }.sorted()
            #expect(
                differences.isEmpty,
                "\(name): crash at \(step) (#\(index)) left a mixed state \(differences.map { "\($0): \(recovered[$0] ?? "-") vs \(expected[$0] ?? "-")" }); recovery: \(report)"
            )
            #expect(!recovered.keys.contains { $0.contains(".#berth") }, "\(name): leftovers after \(step)")
            #expect(restarted.recover().isEmpty)
        }
    }

    @Test("temps whose intent record was lost (power failure before it reached the disk) are removed")
    func orphanedTemps() async throws {
        let fixture = EngineFixture()
        Self.makeImages(fixture)
        let engine = try fixture.engine()
        _ = try await engine.attach(AttachRequest(image: "app_1", matches: ["app"]))
        let before = Self.state(fixture)
        fixture.host.file("etc/systemd/system.attached/.#berth.0badc0de.7", "half-written unit\n")
        fixture.host.file("etc/systemd/system.attached/app.service.d/.#berth.0badc0de.2", "half-written drop-in\n")
        let report = engine.recover()
        #expect(report.count == 2)
        #expect(Self.state(fixture) == before)
        #expect(try await engine.state(image: "app_1") == .attached)
    }

    @Test("a leftover whose lock cannot be taken (read-only /run) is reported and kept, not skipped silently")
    func unlockableLeftoverIsReported() async throws {
        let fixture = EngineFixture()
        Self.makeImages(fixture)
        let leftover = "etc/systemd/system.attached/.#berth-intent-tmp.0123456789abcdef.app_1"
        fixture.host.file(leftover, "half-written intent\n")
        // The lock directory's parent is a file: mkdir fails, as it does on a read-only /run.
        fixture.host.file("run/berth", "not a directory\n")
        let engine = try fixture.engine()
        let report = engine.recover()
        #expect(report.count == 1)
        #expect(report.first?.hasPrefix("Cannot recover 'app_1' yet:") == true, "\(report)")
        #expect(fixture.exists("/" + leftover))
    }

    @Test("attach")
    func attach() async throws {
        try await Self.run(name: "attach", setup: { _, _ in }) { engine in
            _ = try await engine.attach(AttachRequest(image: "app_1", matches: ["app"], copyMode: .copy))
        }
    }

    @Test("attach with mixed copy of an out-of-path image")
    func attachMixed() async throws {
        try await Self.run(name: "attach-mixed", setup: { _, _ in }) { engine in
            _ = try await engine.attach(AttachRequest(image: "/srv/ext/app_3", copyMode: .mixed, runtime: true))
        }
    }

    @Test("detach")
    func detach() async throws {
        try await Self.run(
            name: "detach",
            setup: { _, engine in _ = try await engine.attach(AttachRequest(image: "app_1", matches: ["app"])) }
        ) { engine in
            _ = try await engine.detach(DetachRequest(image: "app_1"))
        }
    }

    @Test("reattach")
    func reattach() async throws {
        try await Self.run(
            name: "reattach",
            setup: { _, engine in _ = try await engine.attach(AttachRequest(image: "app_1", matches: ["app"])) }
        ) { engine in
            _ = try await engine.reattach(AttachRequest(image: "app_2", matches: ["app"]))
        }
    }
}

private struct CrashHere: Error {}

/// Thread-safe step log for the fault hook.
final class StepRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var steps: [String] = []
    private var blocked = false

    var block: Bool {
        get { lock.withLock { blocked } }
        set { lock.withLock { blocked = newValue } }
    }

    func append(_ step: String) {
        lock.withLock { if !blocked { steps.append(step) } }
    }

    func reset() { lock.withLock { steps = [] } }
    var all: [String] { lock.withLock { steps } }
}
