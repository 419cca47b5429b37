import Foundation
import Glibc

/// A peer program run as a real child process, with output captured in files (never pipes, so
/// a chatty child cannot block) and a hard timeout so a hung peer fails the test instead of
/// hanging it. Servers are terminated and reaped by `stop()` (or on deinit).
final class PeerProcess: @unchecked Sendable {
    struct Result: CustomStringConvertible {
        var status: Int32
        var output: String
        var timedOut: Bool
        var description: String { "status \(status)\(timedOut ? " (timed out)" : "")\n\(output)" }
    }

    let process = Process()
    private let outputPath: String

    init(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws {
        outputPath = NSTemporaryDirectory() + "/peer-\(UUID().uuidString).log"
        FileManager.default.createFile(atPath: outputPath, contents: nil)
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        try output.close()
    }

    deinit {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: outputPath)
    }

    var output: String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }

    /// Waits until the process exits or `timeout` seconds pass (then kills it).
    func wait(timeout: Double) -> Result {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        let timedOut = process.isRunning
        if timedOut {
            kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: output, timedOut: timedOut)
    }

    /// Waits until `path` exists (a server's socket) or the process dies or `timeout` passes.
    func waitForSocket(_ path: String, timeout: Double = 30) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if FileManager.default.fileExists(atPath: path) { return true }
            if !process.isRunning { return false }
            usleep(20_000)
        }
        return false
    }

    /// SIGTERM, then waits; returns the output.
    @discardableResult
    func stop() -> Result {
        if process.isRunning { process.terminate() }
        return wait(timeout: 10)
    }

    static func run(_ executable: String, _ arguments: [String], timeout: Double) throws -> Result {
        try PeerProcess(executable, arguments).wait(timeout: timeout)
    }
}
