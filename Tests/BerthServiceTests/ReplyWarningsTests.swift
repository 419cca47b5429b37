import BerthClient
import PortableEngine
import Testing

/// A PID 1 that is there but refuses every job: the files are attached and detached anyway, and what
/// failed reaches the client in the reply's `warnings` (they used to stay in berthd's log).
private struct RefusingServiceManager: ServiceManager {
    struct Refused: Error, CustomStringConvertible {
        var description: String { "Access denied" }
    }

    var isAvailable: Bool { true }
    func reload() async throws { throw Refused() }
    func start(_ units: [String], wait: Bool) async throws -> [QueuedJob] { throw Refused() }
    func stop(_ units: [String], wait: Bool) async throws -> [QueuedJob] { throw Refused() }
    func restart(_ units: [String], wait: Bool) async throws -> [QueuedJob] { throw Refused() }
    func enable(unitFiles: [String], runtime: Bool) async throws -> [Change] { throw Refused() }
    func disable(_ units: [String], runtime: Bool) async throws -> [Change] { throw Refused() }
    func isActive(_ unit: String) async throws -> Bool { false }
    func unitFileState(_ unit: String) async throws -> String? { nil }
}

@Suite("Replies carry the operation's warnings")
struct ReplyWarningsTests {
    @Test("attach, reattach and detach report PID 1's refusals in warnings, with the files changed")
    func warningsArriveThroughTheSocket() async throws {
        try await ServiceHarness.with(serviceManager: RefusingServiceManager()) { harness in
            let image = try harness.makeImage("demo")
            let client = try await harness.client()
            let attached = try await client.attachImage(image: image, enable: true, now: true)
            #expect(!attached.changes.isEmpty)
            #expect(attached.warnings.contains("Failed to reload units: Access denied"))
            #expect(attached.warnings.contains("Failed to enable units: Access denied"))
            #expect(attached.warnings.contains("Failed to start units: Access denied"))

            let reattached = try await client.reattachImage(image: image)
            #expect(reattached.warnings.contains("Failed to reload units: Access denied"))

            let detached = try await client.detachImage(image: image, now: true)
            #expect(!detached.changes.isEmpty)
            #expect(detached.warnings.contains("Failed to stop units: Access denied"))
            #expect(try await client.getImageState(image: image).state == .detached)
        }
    }

    @Test("an operation with nothing to report has no warnings")
    func noWarnings() async throws {
        try await ServiceHarness.with { harness in
            let image = try harness.makeImage("demo")
            let attached = try await harness.client().attachImage(image: image)
            #expect(attached.warnings.isEmpty)
        }
    }
}
