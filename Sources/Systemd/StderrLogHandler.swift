package import Logging
import SystemCalls

/// A plain-text swift-log handler for stderr, used when stderr is not connected to the journal.
///
/// Lines look like `berthd: warning: message key=value`, or with `<N>` syslog prefixes when
/// `syslogPrefix` is set (what systemd parses when stderr goes to a file or the console).
package struct StderrLogHandler: ControlledLogHandler {
    package var state: LogHandlerState
    private let identifier: String

    package init(
        identifier: String,
        level: Logger.Level = .info,
        control: LogLevelControl = .shared,
        metadataProvider: Logger.MetadataProvider? = nil
    ) {
        self.identifier = identifier
        self.state = LogHandlerState(level: level, control: control, metadataProvider: metadataProvider)
    }

    package func log(event: LogEvent) {
        Self.write(Self.format(event: event, identifier: identifier, metadata: state.metadata(for: event)))
    }

    /// Writes the line with one `write(2)` on standard error, so lines from different threads do
    /// not interleave within a line.
    private static func write(_ line: String) {
        try? FileDescriptor.standardError.writeAll(line.utf8)
    }

    /// One line of output, newline included.
    package static func format(event: LogEvent, identifier: String, metadata: Logger.Metadata) -> String {
        var line = "\(identifier): \(event.level): \(event.message)"
        if let error = event.error { line += " error=\(String(describing: error))" }
        for key in metadata.keys.sorted() {
            guard let value = metadata[key] else { continue }
            line += " \(key)=\(value)"
        }
        line += "\n"
        return line
    }
}
