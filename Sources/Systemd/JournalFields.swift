package import Logging

/// Builds journald entries from swift-log events: field names, priority and source location.
///
/// journald accepts field names of at most 64 characters from `A-Z`, `0-9` and `_`, not starting
/// with a digit or `_` (a leading `_` marks fields only journald itself may set). Metadata keys
/// follow swift-log's dotted style (`varlink.method`), so they are mapped: `VARLINK_METHOD`.
package enum JournalFields {
    /// Field names a metadata key must not produce, because the handler sets them itself.
    private static let reserved: Set<String> = [
        "MESSAGE", "PRIORITY", "CODE_FILE", "CODE_LINE", "CODE_FUNC", "SYSLOG_IDENTIFIER",
    ]

    /// The journald field name for a metadata key, or nil when nothing usable is left.
    ///
    /// Lowercase letters are uppercased, every other character outside `[A-Z0-9_]` becomes `_`,
    /// leading `_` and digits are dropped, and the result is cut to 64 characters. A key that
    /// would collide with a field the handler writes itself gets a `META_` prefix.
    package static func fieldName(forMetadataKey key: String) -> String? {
        var name: [UInt8] = []
        name.reserveCapacity(key.utf8.count)
        for byte in key.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"): name.append(byte - 32)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): name.append(byte)
            default: name.append(UInt8(ascii: "_"))
            }
        }
        let start = name.firstIndex {
            !($0 == UInt8(ascii: "_") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0))
        }
        guard let start else { return nil }
        var result = String(decoding: name[start...], as: UTF8.self)
        if reserved.contains(result) { result = "META_" + result }
        return String(result.prefix(64))
    }

    /// The `FIELD=value` entries for one event, in the order they are sent.
    ///
    /// - Parameters:
    ///   - identifier: `SYSLOG_IDENTIFIER=` (the program name, as `journalctl -t` filters on).
    ///   - label: the logger's label, sent as `LOGGER=`.
    ///   - metadata: the handler's metadata merged with the event's (the event wins).
    package static func entries(
        for event: LogEvent,
        identifier: String,
        label: String,
        metadata: Logger.Metadata
    ) -> [String] {
        var entries = [
            "MESSAGE=\(event.message)",
            "PRIORITY=\(event.level.syslogPriority)",
            "CODE_FILE=\(event.file)",
            "CODE_LINE=\(event.line)",
            "CODE_FUNC=\(event.function)",
            "SYSLOG_IDENTIFIER=\(identifier)",
            "LOGGER=\(label)",
        ]
        if let error = event.error {
            entries.append("ERROR=\(String(describing: error))")
        }
        for key in metadata.keys.sorted() {
            guard let value = metadata[key], let name = fieldName(forMetadataKey: key) else { continue }
            entries.append("\(name)=\(value)")
        }
        return entries
    }
}
