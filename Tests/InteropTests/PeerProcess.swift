import Foundation
import Glibc

/// A peer program run as a real child process (posix_spawn), with output captured in a file
/// (never a pipe, so a chatty child cannot block) and a hard timeout so a hung peer fails the
/// test instead of hanging it. Reaped with waitpid directly: no run loop involved.
/// Servers are terminated and reaped by `stop()` (or on deinit).
final class PeerProcess: @unchecked Sendable {
    struct Result: CustomStringConvertible {
        var status: Int32
        var output: String
        var timedOut: Bool
        var description: String { "status \(status)\(timedOut ? " (timed out)" : "")\n\(output)" }
    }

    struct SpawnError: Error, CustomStringConvertible {
        var description: String
    }

    let pid: pid_t
    private let outputPath: String
    private var exitStatus: Int32?

    init(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws {
        outputPath = NSTemporaryDirectory() + "/peer-\(UUID().uuidString).log"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let merged = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        // Test threads block most signals and a child would inherit that mask (a python peer
        // would then ignore SIGTERM): start children with none blocked and default handlers.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGPIPE, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var child: pid_t = 0
        let result = posix_spawn(&child, executable, &actions, &attributes, argv, envp)
        guard result == 0 else { throw SpawnError(description: "posix_spawn \(executable): errno \(result)") }
        pid = child
    }

    deinit {
        if exitStatus == nil {
            kill(pid, SIGKILL)
            _ = reap(block: true)
        }
        try? FileManager.default.removeItem(atPath: outputPath)
    }

    var output: String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }

    var isRunning: Bool { reap(block: false) == nil }

    /// The exit status (128 + signal for a signal), once the child has ended.
    private func reap(block: Bool) -> Int32? {
        if let exitStatus { return exitStatus }
        var status: Int32 = 0
        let result = waitpid(pid, &status, block ? 0 : WNOHANG)
        guard result == pid else { return nil }
        // WIFEXITED / WEXITSTATUS / WTERMSIG spelled out: the C macros are not imported.
        let signal = status & 0x7F
        exitStatus = signal == 0 ? (status >> 8) & 0xFF : 128 + signal
        return exitStatus
    }

    /// Waits until the process exits or `timeout` seconds pass (then kills it).
    func wait(timeout: Double) -> Result {
        let deadline = Date().addingTimeInterval(timeout)
        while isRunning && Date() < deadline { usleep(10_000) }
        let timedOut = isRunning
        if timedOut { kill(pid, SIGKILL) }
        let status = reap(block: true) ?? -1
        return Result(status: status, output: output, timedOut: timedOut)
    }

    /// Waits until the server accepts connections on `path` (the file appears at bind(), before
    /// listen(), so existence is not enough) or the process dies or `timeout` passes.
    func waitForSocket(_ path: String, timeout: Double = 30) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if Self.accepts(path) { return true }
            if !isRunning { return false }
            usleep(10_000)
        }
        return false
    }

    static func accepts(_ path: String) -> Bool {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in bytes.enumerated() { buffer[index] = byte }
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        return result == 0
    }

    /// SIGTERM, then waits; returns the output.
    @discardableResult
    func stop() -> Result {
        if isRunning { kill(pid, SIGTERM) }
        return wait(timeout: 10)
    }

    static func run(_ executable: String, _ arguments: [String], timeout: Double) throws -> Result {
        try PeerProcess(executable, arguments).wait(timeout: timeout)
    }
}
