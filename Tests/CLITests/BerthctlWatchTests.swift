import Foundation
import TestSupport
import Testing

/// `berthctl watch` as a subprocess on an offline tree (the service in process): the snapshot line, a
/// hand-made change as it happens, JSON lines, and a clean exit on SIGINT.
@Suite("berthctl watch")
struct BerthctlWatchTests {
    @Test func printsTheSnapshotThenChangesAndEndsCleanlyOnSIGINT() async throws {
        let tree = try CLITestTree()
        try tree.makeImage("alpha", units: DemoUnits.standard)
        let watch = try WatchProcess(["--root=\(tree.root)", "watch"])
        let header = try await watch.line()
        #expect(header.split(separator: " ") == ["TIME", "IMAGE", "EVENT", "STATE", "UNITS"])
        let snapshot = try await watch.line().split(separator: " ")
        #expect(snapshot.dropFirst(2) == ["alpha", "snapshot", "detached", "-"], "\(snapshot)")
        try tree.makeImage("beta", units: DemoUnits.standard)
        let added = try await watch.line().split(separator: " ")
        #expect(added.dropFirst(2) == ["beta", "added", "detached", "-"], "\(added)")
        #expect(try watch.interrupt() == 0)
    }

    @Test func jsonShortIsOneObjectPerEventForTheNamedImagesOnly() async throws {
        let tree = try CLITestTree()
        try tree.makeImage("alpha", units: DemoUnits.standard)
        try tree.makeImage("beta", units: DemoUnits.standard)
        let watch = try WatchProcess(["--root=\(tree.root)", "--json=short", "watch", "beta"])
        let first = try await watch.line()
        let object = try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any]
        #expect(object?["kind"] as? String == "snapshot")
        #expect(object?["image"] as? String == "beta")
        #expect(object?["state"] as? String == "detached")
        #expect((object?["timestamp"] as? Int ?? 0) > 1_600_000_000_000_000)
        try FileManager.default.removeItem(atPath: tree.root + "/var/lib/portables/alpha")
        try FileManager.default.removeItem(atPath: tree.root + "/var/lib/portables/beta")
        let removed = try await watch.line()
        #expect(removed.contains(#""kind":"removed""#) && removed.contains(#""image":"beta""#), "\(removed)")
        #expect(try watch.interrupt() == 0)
        #expect(!watch.output.contains(#""image":"alpha""#))
    }
}

/// berthctl watch running in the background; lines are read as they come.
final class WatchProcess: @unchecked Sendable {  // touched by one test at a time
    private let process = Process()
    private let pipe = Pipe()
    private var buffer = ""
    private(set) var output = ""

    init(_ arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: try CLIRunner.executable("berthctl"))
        process.arguments = arguments
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// The next line of output (without the newline); fails after `timeout`.
    func line(timeout: Duration = .seconds(10)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        let handle = pipe.fileHandleForReading
        while ContinuousClock.now < deadline {
            if let newline = buffer.firstIndex(of: "\n") {
                let line = String(buffer[..<newline])
                buffer = String(buffer[buffer.index(after: newline)...])
                return line
            }
            // availableData blocks until something arrives; poll so the deadline holds.
            var entry = pollfd(fd: handle.fileDescriptor, events: Int16(POLLIN), revents: 0)
            if poll(&entry, 1, 50) > 0 {
                let data = handle.availableData
                if data.isEmpty { break }
                let text = String(decoding: data, as: UTF8.self)
                buffer += text
                output += text
            }
        }
        throw WatchTimeout(description: "no line within \(timeout); so far: \(output)")
    }

    /// Sends SIGINT and returns the exit status; -1 (after SIGKILL) when it did not end within 5 s.
    func interrupt() throws -> Int32 {
        kill(process.processIdentifier, SIGINT)
        let deadline = ContinuousClock.now + .seconds(5)
        while process.isRunning && ContinuousClock.now < deadline { usleep(10_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return -1
        }
        output += String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return process.terminationReason == .exit ? process.terminationStatus : 128 + process.terminationStatus
    }
}

struct WatchTimeout: Error, CustomStringConvertible {
    var description: String
}
