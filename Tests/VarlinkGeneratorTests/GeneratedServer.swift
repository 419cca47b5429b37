import Foundation
import Varlink

/// A real `VarlinkServer` on a unique Unix socket in a fresh temp directory, for one test.
final class GeneratedServer: Sendable {
    let server: VarlinkServer
    let directory: String
    let socketPath: String
    private let runner: Task<Void, Never>

    init(_ interfaces: [any VarlinkInterface]) throws {
        directory = NSTemporaryDirectory() + "berth-idl-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        socketPath = directory + "/s"
        let server = VarlinkServer(
            configuration: .init(
                vendor: "Berth",
                product: "generator-tests",
                version: "1",
                url: "https://example.invalid"
            )
        )
        for interface in interfaces { server.register(interface) }
        try server.listen(on: .unixPath(socketPath))
        self.server = server
        runner = Task { _ = try? await server.run() }
    }

    func connect() async throws -> VarlinkClient {
        try await VarlinkClient.connect(to: .unixPath(socketPath), timeout: .seconds(10))
    }

    func stop() async {
        server.shutdown()
        await runner.value
        try? FileManager.default.removeItem(atPath: directory)
    }
}
