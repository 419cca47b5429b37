internal import CSystemd
package import Logging

#if canImport(Glibc)
import Glibc
#endif

/// A swift-log handler that writes structured entries to the journal with `sd_journal_sendv(3)`.
///
/// Each entry carries `MESSAGE`, `PRIORITY`, `CODE_FILE/LINE/FUNC`, `SYSLOG_IDENTIFIER`, `LOGGER`
/// and one field per metadata key (`varlink.method` → `VARLINK_METHOD`), so
/// `journalctl VARLINK_METHOD=io.berth.Portable.Attach` finds the calls.
package struct JournalLogHandler: ControlledLogHandler {
    package var state: LogHandlerState
    private let label: String
    private let identifier: String

    /// - Parameters:
    ///   - label: the logger's label (sent as `LOGGER=`).
    ///   - identifier: `SYSLOG_IDENTIFIER=`, normally the program name.
    ///   - level: this handler's level when `control` imposes none.
    ///   - control: the process-wide level `SetLogLevel` changes.
    package init(
        label: String,
        identifier: String,
        level: Logger.Level = .info,
        control: LogLevelControl = .shared,
        metadataProvider: Logger.MetadataProvider? = nil
    ) {
        self.label = label
        self.identifier = identifier
        self.state = LogHandlerState(level: level, control: control, metadataProvider: metadataProvider)
    }

    package func log(event: LogEvent) {
        let metadata = state.metadata(for: event)
        Self.send(JournalFields.entries(for: event, identifier: identifier, label: label, metadata: metadata))
    }

    /// Sends entries as one journal record. Failures are dropped: logging must never fail the caller.
    package static func send(_ entries: [String]) {
        guard case .success = SystemdLibrary.shared else { return }
        // One contiguous buffer keeps every iovec pointing at live memory during the call.
        var buffer: [UInt8] = []
        var ranges: [Range<Int>] = []
        ranges.reserveCapacity(entries.count)
        for entry in entries {
            let start = buffer.count
            buffer.append(contentsOf: entry.utf8)
            ranges.append(start..<buffer.count)
        }
        buffer.withUnsafeMutableBytes { bytes in
            guard let base = bytes.baseAddress else { return }
            var vectors = ranges.map { iovec(iov_base: base + $0.lowerBound, iov_len: $0.count) }
            _ = vectors.withUnsafeMutableBufferPointer { sd_journal_sendv($0.baseAddress, Int32($0.count)) }
        }
    }
}
