import Foundation
import TestSupport

/// A real Varlink service in a child process, listening on a unique socket; stopped on deinit.
///
/// Default: the python reference library serving `org.example.cli` (Fixtures/VarlinkCLITestServer.py).
/// Immutable after `init`; the process is only touched again in `deinit`, hence `@unchecked Sendable`.
final class VarlinkCLITestService: @unchecked Sendable {
    /// The address to pass to `varlink`.
    let address: String
    private let process: Process
    private let directory: VarlinkCLITemporaryDirectory?
    private let lifeline = Pipe()

    /// One python service shared by the tests that don't depend on fresh state (python needs half a
    /// second to start). It exits by itself when the test process ends (its stdin pipe closes).
    static let shared: Result<VarlinkCLITestService, any Error> = Result { try VarlinkCLITestService(abstract: true) }

    /// The shared service, or the error that kept it from starting.
    static func python() throws -> VarlinkCLITestService { try shared.get() }

    /// Starts the python fixture on `unix:PATH` (or on an abstract socket) and waits until it listens.
    init(abstract: Bool = false) throws {
        let listen: String
        if abstract {
            // No file system residue, which matters for the shared instance that is never deinitialised.
            directory = nil
            listen = "unix:@varlink-cli-\(UUID().uuidString)"
            address = String(listen.dropFirst("unix:".count))
        } else {
            let directory = try VarlinkCLITemporaryDirectory()
            self.directory = directory
            let path = directory.url.appendingPathComponent("service.sock").path
            listen = "unix:" + path
            address = path
        }
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", VarlinkCLIHarness.fixtureServer.path, "--varlink=" + listen, "--exit-on-eof"]
        // Held open for the service's lifetime; its end of file tells the service to exit.
        process.standardInput = lifeline
        try Self.startAndAwaitReadiness(process, marker: "READY")
    }

    /// Starts another server program that prints nothing: readiness is the socket appearing.
    init(program: String, arguments: (String) -> [String]) throws {
        let directory = try VarlinkCLITemporaryDirectory()
        self.directory = directory
        let path = directory.url.appendingPathComponent("service.sock").path
        address = path
        process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments(path)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Ready once a connect succeeds (its file appears at bind, before listen); bounded so a broken
        // peer fails the test.
        let started = process
        guard ListeningSocket.waitUntilAccepting(path, while: { started.isRunning }, timeout: 5) else {
            throw StartupError(reason: started.isRunning ? "\(program) never listened" : "\(program) exited early")
        }
    }

    struct StartupError: Error, CustomStringConvertible {
        var reason: String
        var description: String { reason }
    }

    private static func startAndAwaitReadiness(_ process: Process, marker: String) throws {
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        var seen = Data()
        while !seen.contains(Data(marker.utf8)) {
            let chunk = pipe.fileHandleForReading.availableData
            if chunk.isEmpty { throw StartupError(reason: "the test service exited before listening") }
            seen.append(chunk)
        }
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}
