package import Logging

#if canImport(Glibc)
import Glibc
#endif

/// Chooses where a systemd service's logs go: the journal when stderr *is* the journal stream,
/// stderr otherwise.
///
/// systemd sets `JOURNAL_STREAM=DEV:INODE` for services whose stderr it connected to journald.
/// The variable is inherited by children whose stderr may point elsewhere (a shell redirect), so
/// it only counts when it matches stderr's device and inode, as `sd_journal_stream_fd(3)` says.
package enum SystemdLogging {
    /// Whether `JOURNAL_STREAM` names the file currently open on fd 2.
    package static var isStderrJournalStream: Bool {
        guard let value = getenv("JOURNAL_STREAM") else { return false }
        return journalStream(String(cString: value), matchesDescriptor: 2)
    }

    /// Whether a `JOURNAL_STREAM` value (`DEV:INODE`, decimal) names the file open on `fd`.
    package static func journalStream(_ value: String, matchesDescriptor fd: Int32) -> Bool {
        let parts = value.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return false }
        var status = stat()
        guard fstat(fd, &status) == 0 else { return false }
        return UInt64(status.st_dev) == device && UInt64(status.st_ino) == inode
    }

    /// A handler factory for `LoggingSystem.bootstrap`: journal or stderr, decided once, now.
    ///
    /// - Parameters:
    ///   - identifier: the program name (`SYSLOG_IDENTIFIER=` / the stderr prefix).
    ///   - level: the initial level of every handler.
    ///   - control: the shared level `SetLogLevel` changes.
    ///   - forceStderr: skip the journal even when stderr is the journal stream (tests, `--log-target`).
    package static func makeHandlerFactory(
        identifier: String,
        level: Logger.Level,
        control: LogLevelControl = .shared,
        forceStderr: Bool = false
    ) -> @Sendable (String) -> any LogHandler {
        if !forceStderr && isStderrJournalStream {
            return { label in JournalLogHandler(label: label, identifier: identifier, level: level, control: control) }
        }
        return { _ in StderrLogHandler(identifier: identifier, level: level, control: control) }
    }
}
