package import Logging

/// The part of a swift-log handler that does not depend on where lines go: metadata, the metadata
/// provider and the level, where a `LogLevelControl` override wins over the handler's own level.
///
/// `JournalLogHandler` and `StderrLogHandler` keep one of these and differ only in `log(event:)`.
package struct LogHandlerState: Sendable {
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?
    var ownLevel: Logger.Level
    let control: LogLevelControl

    init(level: Logger.Level, control: LogLevelControl, metadataProvider: Logger.MetadataProvider?) {
        self.ownLevel = level
        self.control = control
        self.metadataProvider = metadataProvider
    }

    /// The handler's metadata, overridden by the provider's, overridden by the event's own.
    func metadata(for event: LogEvent) -> Logger.Metadata {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let own = event.metadata { merged.merge(own) { _, new in new } }
        return merged
    }
}

/// A handler whose `LogHandler` bookkeeping is a `LogHandlerState`.
package protocol ControlledLogHandler: LogHandler {
    var state: LogHandlerState { get set }
}

extension ControlledLogHandler {
    package var metadata: Logger.Metadata {
        get { state.metadata }
        set { state.metadata = newValue }
    }

    package var metadataProvider: Logger.MetadataProvider? {
        get { state.metadataProvider }
        set { state.metadataProvider = newValue }
    }

    package var logLevel: Logger.Level {
        get { state.control.level ?? state.ownLevel }
        set { state.ownLevel = newValue }
    }

    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { state.metadata[key] }
        set { state.metadata[key] = newValue }
    }
}
