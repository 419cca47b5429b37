import Logging
import Testing

@testable import Systemd

@Suite("Journal field names and entries")
struct JournalFieldsTests {
    @Test(
        "metadata keys map to journald field names",
        arguments: [
            ("varlink.method", "VARLINK_METHOD"),
            ("image", "IMAGE"),
            ("Berth-Image.Name", "BERTH_IMAGE_NAME"),
            ("_secret", "SECRET"),
            ("9lives", "LIVES"),
            ("__9x", "X"),
            ("message", "META_MESSAGE"),
            ("priority", "META_PRIORITY"),
            ("syslog.identifier", "META_SYSLOG_IDENTIFIER"),
            ("ünïcode", "N__CODE"),
        ]
    )
    func fieldName(key: String, expected: String) {
        // Each non-ASCII byte becomes "_" ("ü" is two bytes), then leading "_" are dropped.
        #expect(JournalFields.fieldName(forMetadataKey: key) == expected)
    }

    @Test("keys with nothing usable are skipped")
    func unusableKeys() {
        #expect(JournalFields.fieldName(forMetadataKey: "") == nil)
        #expect(JournalFields.fieldName(forMetadataKey: "___") == nil)
        #expect(JournalFields.fieldName(forMetadataKey: "123") == nil)
        #expect(JournalFields.fieldName(forMetadataKey: ".-.") == nil)
    }

    @Test("field names are cut to journald's 64 characters and stay valid")
    func longNames() throws {
        let name = try #require(JournalFields.fieldName(forMetadataKey: String(repeating: "a.b", count: 40)))
        #expect(name.count == 64)
        #expect(name.utf8.allSatisfy { ($0 >= 65 && $0 <= 90) || ($0 >= 48 && $0 <= 57) || $0 == 95 })
        #expect(name.first != "_")
    }

    @Test("an entry carries message, priority, location, identifier and mapped metadata")
    func entries() {
        let event = LogEvent(
            level: .warning,
            message: "attach failed\nsecond line",
            metadata: nil,
            source: "Test",
            file: "Sources/X/Y.swift",
            function: "attach(_:)",
            line: 42
        )
        let entries = JournalFields.entries(
            for: event,
            identifier: "berthd",
            label: "berthd.engine",
            metadata: ["varlink.method": "io.berth.Portable.Attach", "image": "foo", "": "dropped"]
        )
        #expect(
            entries == [
                "MESSAGE=attach failed\nsecond line",
                "PRIORITY=4",
                "CODE_FILE=Sources/X/Y.swift",
                "CODE_LINE=42",
                "CODE_FUNC=attach(_:)",
                "SYSLOG_IDENTIFIER=berthd",
                "LOGGER=berthd.engine",
                "IMAGE=foo",
                "VARLINK_METHOD=io.berth.Portable.Attach",
            ]
        )
    }

    @Test(
        "swift-log levels map to syslog priorities and back",
        arguments: [
            (Logger.Level.trace, 7), (.debug, 7), (.info, 6), (.notice, 5), (.warning, 4), (.error, 3), (.critical, 2),
        ]
    )
    func priorities(level: Logger.Level, priority: Int) {
        #expect(level.syslogPriority == priority)
        let back = Logger.Level(syslogPriority: priority)
        #expect(back == (level == .trace ? .debug : level))
    }

    @Test("syslog priorities outside 0...7 are rejected; 0 and 1 are critical")
    func priorityBounds() {
        #expect(Logger.Level(syslogPriority: -1) == nil)
        #expect(Logger.Level(syslogPriority: 8) == nil)
        #expect(Logger.Level(syslogPriority: 0) == .critical)
        #expect(Logger.Level(syslogPriority: 1) == .critical)
    }
}
