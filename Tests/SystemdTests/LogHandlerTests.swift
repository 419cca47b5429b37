import Foundation
import Logging
import Testing

@testable import Systemd

@Suite("Log handlers and journal stream detection")
struct LogHandlerTests {
    @Test("a LogLevelControl override wins over each handler's own level, and clearing it restores them")
    func levelControl() {
        let control = LogLevelControl()
        var journal = JournalLogHandler(label: "t", identifier: "t", level: .info, control: control)
        var console = StderrLogHandler(identifier: "t", level: .error, control: control)
        #expect(journal.logLevel == .info)
        #expect(console.logLevel == .error)
        control.level = .debug
        #expect(journal.logLevel == .debug)
        #expect(console.logLevel == .debug)
        journal.logLevel = .critical
        console.logLevel = .notice
        #expect(journal.logLevel == .debug)
        control.level = nil
        #expect(journal.logLevel == .critical)
        #expect(console.logLevel == .notice)
    }

    @Test("stderr lines hold identifier, level, message, error and sorted metadata")
    func stderrFormat() {
        struct Broken: Error, CustomStringConvertible { var description: String { "disk on fire" } }
        let event = LogEvent(
            level: .error,
            message: "detach failed",
            metadata: nil,
            source: "T",
            file: "f",
            function: "g",
            line: 1
        )
        var withError = event
        withError.error = Broken()
        #expect(
            StderrLogHandler.format(event: event, identifier: "berthd", metadata: ["b": "2", "a": "1"])
                == "berthd: error: detach failed a=1 b=2\n"
        )
        #expect(
            StderrLogHandler.format(event: withError, identifier: "berthd", metadata: [:])
                == "berthd: error: detach failed error=disk on fire\n"
        )
    }

    @Test("JOURNAL_STREAM counts only when it names the open file's device and inode")
    func journalStreamMatching() throws {
        let path = NSTemporaryDirectory() + "berth-systemd-stream-\(UUID().uuidString)"
        #expect(FileManager.default.createFile(atPath: path, contents: Data("x".utf8)))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        try #require(fd >= 0)
        defer { close(fd) }
        var status = stat()
        try #require(fstat(fd, &status) == 0)
        let value = "\(status.st_dev):\(status.st_ino)"
        #expect(SystemdLogging.journalStream(value, matchesDescriptor: fd))
        #expect(!SystemdLogging.journalStream("\(status.st_dev):\(status.st_ino + 1)", matchesDescriptor: fd))
        #expect(!SystemdLogging.journalStream("\(status.st_dev + 1):\(status.st_ino)", matchesDescriptor: fd))
        for malformed in ["", ":", "1", "1:", ":1", "a:b", "1:2:3", "-1:5", " 1:2"] {
            #expect(!SystemdLogging.journalStream(malformed, matchesDescriptor: fd), "\(malformed)")
        }
        #expect(!SystemdLogging.journalStream(value, matchesDescriptor: -1))
    }

    @Test("JournalLogHandler.send never fails the caller, also without a journal")
    func sendWithoutJournal() {
        // This host has no journald; sd_journal_sendv fails and the handler must swallow it.
        JournalLogHandler.send(["MESSAGE=berth test", "PRIORITY=7", "SYSLOG_IDENTIFIER=berth-tests"])
        JournalLogHandler.send([])
        let handler = JournalLogHandler(
            label: "t",
            identifier: "berth-tests",
            level: .trace,
            control: LogLevelControl()
        )
        Logger(label: "t") { _ in handler }.debug("still fine", metadata: ["a.b": "c"])
    }
}
