import BerthClient
import BerthService
import Dispatch
import Foundation
import Logging
import PortableEngine
import TestSupport
import Varlink

/// A real VarlinkServer on a unique socket in a temp dir, serving io.berth.Portable on an
/// offline tree (no PID 1), plus helpers to build images and to call as another user.
final class ServiceHarness: @unchecked Sendable {
    let temp = TempDirectory(prefix: "berth-service")
    let root: String
    let socketPath: String
    let server: VarlinkServer
    private var runTask: Task<Void, Never>?

    init(
        authorizedGroup: UInt32? = nil,
        maximumOperations: Int = 64,
        serviceManager: any ServiceManager = OfflineServiceManager(),
        logHandler: (any LogHandler)? = nil,
        maximumOutputBuffer: Int = 16 << 20
    ) throws {
        root = temp.join("root")
        socketPath = temp.join("io.berth.Portable")
        for directory in ["var/lib/portables", "etc/systemd/system", "run/systemd/system"] {
            try FileManager.default.createDirectory(atPath: "\(root)/\(directory)", withIntermediateDirectories: true)
        }
        // Unprivileged test clients must reach the socket (authorization is the daemon's job).
        chmod(temp.path, 0o755)
        server = VarlinkServer(configuration: .init(maximumOutputBuffer: maximumOutputBuffer))
        var configuration = PortableServiceConfiguration()
        configuration.authorizedGroup = authorizedGroup
        configuration.root = root
        configuration.serviceManager = serviceManager
        configuration.maximumOperations = maximumOperations
        configuration.profileDirectory = RepositoryLayout.profilesDirectory
        let logger = Logger(label: "berth.test") { _ in logHandler ?? SwiftLogNoOpLogHandler() }
        server.register(try PortableService.makeInterface(configuration: configuration, logger: logger))
        try server.listen(on: .unixPath(socketPath, mode: 0o666))
        let server = server
        runTask = Task { _ = try? await server.run() }
    }

    /// Runs `body` with a started harness and always shuts the server down afterwards.
    static func with<T>(
        authorizedGroup: UInt32? = nil,
        maximumOperations: Int = 64,
        serviceManager: any ServiceManager = OfflineServiceManager(),
        logHandler: (any LogHandler)? = nil,
        maximumOutputBuffer: Int = 16 << 20,
        _ body: (ServiceHarness) async throws -> T
    ) async throws -> T {
        let harness = try ServiceHarness(
            authorizedGroup: authorizedGroup,
            maximumOperations: maximumOperations,
            serviceManager: serviceManager,
            logHandler: logHandler,
            maximumOutputBuffer: maximumOutputBuffer
        )
        do {
            let result = try await body(harness)
            await harness.stop()
            return result
        } catch {
            await harness.stop()
            throw error
        }
    }

    func stop() async {
        server.shutdown()
        await runTask?.value
        runTask = nil
    }

    /// A new connection (each one is its own client: calls on one connection are serialized).
    func client() async throws -> Portable.Client {
        Portable.Client(try await VarlinkClient.connect(to: .unixPath(socketPath)))
    }

    func rawClient() async throws -> VarlinkClient {
        try await VarlinkClient.connect(to: .unixPath(socketPath))
    }

    /// A directory image in the pool with os-release and unit files.
    @discardableResult
    func makeImage(_ name: String, units: [String: String] = ServiceFixtures.units(prefix: "demo")) throws -> String {
        let image = "\(root)/var/lib/portables/\(name)"
        try write("ID=demo\nVERSION_ID=1\nPRETTY_NAME=\"Demo 1\"\n", to: "\(image)/usr/lib/os-release")
        for (unit, contents) in units { try write(contents, to: "\(image)/usr/lib/systemd/system/\(unit)") }
        return "/var/lib/portables/\(name)"
    }

    func exists(_ treePath: String) -> Bool {
        FileManager.default.fileExists(atPath: root + treePath)
    }

    private func write(_ text: String, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    /// One raw Varlink call made by a separate process running as `uid`/`gid` (setpriv, no
    /// supplementary groups): returns the reply message as JSON text.
    func callAs(uid: UInt32, gid: UInt32, method: String, parameters: String = "{}") async throws -> String {
        // Waiting for the child blocks a thread: not one of the few cooperative threads, which the
        // server needs to answer the very call being waited for.
        let socketPath = socketPath
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(
                    with: Result {
                        try VarlinkCallAsUser.run(
                            socketPath: socketPath,
                            uid: uid,
                            gid: gid,
                            method: method,
                            parameters: parameters
                        )
                    }
                )
            }
        }
    }
}

enum ServiceFixtures {
    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    static func units(prefix: String) -> [String: String] {
        [
            "\(prefix).service": "[Service]\nExecStart=/usr/bin/\(prefix)\n",
            "\(prefix).socket": "[Socket]\nListenStream=/run/\(prefix).sock\n",
        ]
    }
}
