import SystemCalls
import Varlink
import VarlinkJSON

#if canImport(Glibc)
import Glibc
#endif

/// A real server on a unique abstract socket, running for the duration of one test.
final class TestServer: Sendable {
    let server: VarlinkServer
    let name: String
    let runTask: Task<VarlinkServer.StopReason, any Error>

    var address: VarlinkAddress { .abstract(name) }
    var addressString: String { "unix:@\(name)" }

    init(
        configuration: VarlinkServer.Configuration = .init(
            vendor: "Berth",
            product: "test",
            version: "0",
            url: "https://example.invalid"
        ),
        interfaces: [any VarlinkInterface] = [TestInterface()]
    ) throws {
        name = TestServer.uniqueName()
        server = VarlinkServer(configuration: configuration)
        for interface in interfaces { server.register(interface) }
        try server.listen(on: .abstract(name))
        let server = self.server
        runTask = Task { try await server.run() }
    }

    static func uniqueName() -> String {
        "berth-varlink-test-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
    }

    /// Graceful stop; returns why the loop ended.
    @discardableResult
    func stop() async throws -> VarlinkServer.StopReason {
        server.shutdown()
        return try await runTask.value
    }

    func client(timeout: Duration? = .seconds(10)) async throws -> VarlinkClient {
        try await VarlinkClient.connect(to: address, timeout: timeout)
    }

    func raw() async throws -> RawPeer { try await RawPeer(abstract: name) }

    /// Waits (polling, bounded) until `condition` holds; returns whether it did.
    func eventually(_ condition: @Sendable (VarlinkServer.Activity) -> Bool) async -> Bool {
        for _ in 0..<500 {
            if condition(server.activity) { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return condition(server.activity)
    }
}

/// Runs blocking work on its own thread so tests never block the cooperative pool (which the
/// server's async handlers need).
func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    let result: Result<T, any Error> = await withCheckedContinuation { continuation in
        do {
            try Posix.startThread { continuation.resume(returning: Result { try body() }) }
        } catch {
            continuation.resume(returning: .failure(error))
        }
    }
    return try result.get()
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
