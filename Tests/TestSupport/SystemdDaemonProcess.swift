import Foundation
import Glibc

/// A built `berthd` (or other package executable) running as a real child process, with its
/// stderr captured in a file, for daemon-level tests.
package final class SystemdDaemonProcess {
    package let pid: Int32
    private let stderrPath: String
    private var status: Int32?

    /// The directory SwiftPM put the test bundle and the package's executables in.
    package static func builtExecutable(_ name: String) throws -> String {
        var directory = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        // On Linux the bundle is `.../debug/BerthPackageTests.xctest`, a file: its directory holds berthd.
        if directory.pathExtension == "xctest" { directory.deleteLastPathComponent() }
        let path = directory.appendingPathComponent(name).path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw SystemCallErrorBox(
                call: "\(name) is not built in \(directory.path) (swift build --build-tests)",
                errno: ENOENT
            )
        }
        return path
    }

    /// Starts `executable` with `arguments`; `environment` replaces the whole environment.
    package init(executable: String, arguments: [String], environment: [String]) throws {
        stderrPath = NSTemporaryDirectory() + "berthd-stderr-\(UUID().uuidString)"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        var pid: pid_t = 0
        let result = withCStrings([executable] + arguments) { argv in
            withCStrings(environment) { env in posix_spawn(&pid, executable, &actions, nil, argv, env) }
        }
        guard result == 0 else { throw SystemCallErrorBox(call: "posix_spawn \(executable)", errno: result) }
        self.pid = pid
    }

    deinit {
        if status == nil {
            kill(pid, SIGKILL)
            _ = waitForExit()
        }
        unlink(stderrPath)
    }

    /// Sends a signal.
    package func signal(_ number: Int32) {
        kill(pid, number)
    }

    /// Waits for the process and returns its raw wait status.
    @discardableResult
    package func waitForExit() -> Int32 {
        if let status { return status }
        var raw: Int32 = 0
        while waitpid(pid, &raw, 0) < 0 && errno == EINTR {}
        status = raw
        return raw
    }

    /// The exit code when the process exited normally, nil when a signal killed it.
    package func exitCode() -> Int32? {
        let raw = waitForExit()
        return raw & 0x7f == 0 ? (raw >> 8) & 0xff : nil
    }

    /// Everything the process wrote to stderr so far.
    package var stderrText: String {
        (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
    }

    /// Runs to completion and returns (exit code or -signal, stderr).
    package static func run(
        _ executable: String,
        _ arguments: [String],
        environment: [String]
    ) throws -> (Int32, String) {
        let process = try SystemdDaemonProcess(executable: executable, arguments: arguments, environment: environment)
        let raw = process.waitForExit()
        let code = raw & 0x7f == 0 ? (raw >> 8) & 0xff : -(raw & 0x7f)
        return (code, process.stderrText)
    }
}
