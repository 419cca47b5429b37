import Foundation
import Testing

/// Runs the built `varlink` binary and the test services it talks to.
enum VarlinkCLIHarness {
    /// The outcome of one `varlink` run.
    struct Result: CustomStringConvertible {
        var status: Int32
        var standardOutput: String
        var standardError: String

        /// Standard output split into lines, without the trailing empty one.
        var lines: [String] { standardOutput.split(separator: "\n").map(String.init) }

        var description: String { "status \(status)\nstdout:\n\(standardOutput)\nstderr:\n\(standardError)" }
    }

    /// The `varlink` executable: `VARLINK_CLI_BINARY`, else next to the test bundle (SwiftPM puts
    /// every product of the build in the same directory).
    static var binary: URL {
        if let override = ProcessInfo.processInfo.environment["VARLINK_CLI_BINARY"] {
            return URL(fileURLWithPath: override)
        }
        let runner = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var directory = runner.deletingLastPathComponent()
        // On Linux the runner is BerthPackageTests.xctest (a file); elsewhere it may sit inside a bundle.
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("varlink")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return runner.deletingLastPathComponent().appendingPathComponent("varlink")
    }

    static var binaryExists: Bool { FileManager.default.isExecutableFile(atPath: binary.path) }

    /// Runs `varlink ARGUMENTS` with `input` on standard input (empty when `nil`), no terminal.
    static func run(_ arguments: [String], input: String? = nil, environment: [String: String] = [:]) throws -> Result {
        let directory = try VarlinkCLITemporaryDirectory()
        let outputURL = directory.url.appendingPathComponent("stdout")
        let errorURL = directory.url.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errorURL.path, contents: nil)
        let output = try FileHandle(forWritingTo: outputURL)
        let error = try FileHandle(forWritingTo: errorURL)
        defer {
            try? output.close()
            try? error.close()
        }

        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        var processEnvironment = ProcessInfo.processInfo.environment
        processEnvironment["NO_COLOR"] = "1"
        for (key, value) in environment { processEnvironment[key] = value }
        process.environment = processEnvironment
        let inputPipe = Pipe()
        process.standardInput = inputPipe
        process.standardOutput = output
        process.standardError = error
        try process.run()
        if let input { try inputPipe.fileHandleForWriting.write(contentsOf: Data(input.utf8)) }
        try inputPipe.fileHandleForWriting.close()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            standardOutput: try String(contentsOf: outputURL, encoding: .utf8),
            standardError: try String(contentsOf: errorURL, encoding: .utf8)
        )
    }

    /// Whether `python3` with the reference `varlink` module can run (CI installs it via deps.sh).
    static let pythonVarlinkAvailable: Bool = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import varlink"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }()

    /// Berth's own Varlink server, built with the package next to `varlink`.
    static var benchServer: URL { binary.deletingLastPathComponent().appendingPathComponent("varlink-bench-server") }

    /// Berth's certification server (socket-activatable), built with the package next to `varlink`.
    static var certificationServer: URL {
        binary.deletingLastPathComponent().appendingPathComponent("varlink-certification")
    }

    /// The Go reference certification server (Debian package varlink-go).
    static let goCertification = "/usr/bin/varlink-go-certification"

    /// The python test service script.
    static var fixtureServer: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/VarlinkCLITestServer.py")
    }

    /// Parses JSON output for assertions (Foundation keeps the tests independent of the code under test).
    static func json(_ text: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
    }
}

/// A unique directory under the system temporary directory, removed on deinit.
final class VarlinkCLITemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("varlink-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }
}
