import BerthClient
import Foundation
import Logging
import Synchronization
import Testing

/// Records what berthd logs, with levels and metadata.
private final class RecordingLogHandler: LogHandler, Sendable {
    struct Entry: Sendable {
        var level: Logger.Level
        var message: String
        var image: String?
    }

    let entries = Mutex<[Entry]>([])
    // Only per-call metadata matters here; logger-level metadata and levels are not recorded.
    var metadata: Logger.Metadata {
        get { [:] }
        set {}
    }
    var logLevel: Logger.Level {
        get { .trace }
        set {}
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { nil }
        set {}
    }

    func log(event: LogEvent) {
        let image = event.metadata?["portable.image"].map { "\($0)" }
        entries.withLock { $0.append(Entry(level: event.level, message: "\(event.message)", image: image)) }
    }
}

@Suite("Skipped unit entries go to berthd's log, not to the client")
struct SkippedEntryLogTests {
    @Test("a dangling unit symlink: a notice naming image and entry; the reply has no warning")
    func skippedEntryIsLoggedAtNotice() async throws {
        let recorder = RecordingLogHandler()
        try await ServiceHarness.with(logHandler: recorder) { harness in
            let image = try harness.makeImage("demo")
            try FileManager.default.createSymbolicLink(
                atPath: harness.root + image + "/usr/lib/systemd/system/demo-gone.service",
                withDestinationPath: "/nowhere"
            )
            let attached = try await harness.client().attachImage(image: image)
            #expect(!attached.changes.isEmpty)
            #expect(attached.warnings.isEmpty, "\(attached.warnings)")
        }
        let notices = recorder.entries.withLock { $0 }.filter { $0.level == .notice }
        #expect(notices.count == 1, "\(notices)")
        #expect(notices.first?.image == "/var/lib/portables/demo")
        #expect(
            notices.first?.message
                == "Unit file '/usr/lib/systemd/system/demo-gone.service' of image '/var/lib/portables/demo' is a "
                + "symlink that does not resolve inside the image, ignoring."
        )
    }
}
