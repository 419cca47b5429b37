import Foundation
import TestSupport
import Testing

/// A real berthd on a temporary socket, serving a `--root` tree without PID 1; terminated on deinit.
final class DaemonUnderTest {
    let socket: String
    private let process = Process()

    /// `arguments` and `environment` are added to berthd's (`--user` and the user's `HOME`, `XDG_*`).
    init(root: String, arguments: [String] = [], environment: [String: String] = [:]) throws {
        // A user-scope berthd next to the system one on the same tree gets its own socket.
        socket = root + (arguments.contains("--user") ? ".user.sock" : ".sock")
        process.executableURL = URL(fileURLWithPath: try CLIRunner.executable("berthd"))
        process.arguments =
            [
                "--listen=unix:\(socket)", "--root=\(root)", "--idle-timeout=0", "--no-pid1",
                "--profile-directory=\(RepositoryLayout.profilesDirectory)",
            ] + arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Readiness: a connect succeeds once berthd listens (bounded wait, not a timing assertion).
        guard ListeningSocket.waitUntilAccepting(socket, while: { process.isRunning }) else {
            // deinit does not run for a failed init: stop the child here, or it outlives the test run.
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
            Issue.record("berthd did not start listening (exit status \(process.terminationStatus))")
            throw DaemonDidNotStart()
        }
    }

    struct DaemonDidNotStart: Error {}

    deinit {
        process.terminate()
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: socket)
    }

    /// berthctl with `--address=` this daemon.
    func berthctl(_ arguments: [String], input: String? = nil) throws -> CLIResult {
        try CLIRunner.run(try CLIRunner.executable("berthctl"), ["--address=\(socket)"] + arguments, input: input)
    }
}
