package import PortableEngine

/// The CLI's view of the io.berth.Portable data, shared by both backends (in-process engine and
/// berthd), so the printers do not care where the answer came from.

/// One file-system change, as portabled reports it: `{type, path, source}`.
package struct ChangeRecord: Sendable, Equatable {
    /// `symlink`, `copy`, `write`, `mkdir`, `unlink`, `rmdir`…
    package var type: String
    package var path: String
    /// Empty when the change has no source.
    package var source: String

    package init(type: String, path: String, source: String = "") {
        self.type = type
        self.path = path
        self.source = source
    }
}

/// One row of `berthctl list`.
package struct CLIImageSummary: Sendable, Equatable {
    package var name: String
    package var type: String
    package var path: String
    package var readOnly: Bool
    /// Microseconds since the epoch; nil when unknown.
    package var creationTime: UInt64?
    package var modificationTime: UInt64?
    /// Bytes; nil when unknown.
    package var usage: UInt64?
    package var state: String
    /// Raw images only.
    package var disk: DiskDetails?

    package init(
        name: String,
        type: String,
        path: String = "",
        readOnly: Bool,
        creationTime: UInt64?,
        modificationTime: UInt64?,
        usage: UInt64?,
        state: String,
        disk: DiskDetails? = nil
    ) {
        self.name = name
        self.type = type
        self.path = path
        self.readOnly = readOnly
        self.creationTime = creationTime
        self.modificationTime = modificationTime
        self.usage = usage
        self.state = state
        self.disk = disk
    }
}

/// What `berthctl inspect` shows: the resolved image path and the raw bytes of the metadata files.
package struct CLIImageMetadata: Sendable, Equatable {
    package struct File: Sendable, Equatable {
        /// An extension path, or a unit name.
        package var name: String
        package var contents: [UInt8]

        package init(name: String, contents: [UInt8]) {
            self.name = name
            self.contents = contents
        }
    }

    package var path: String
    package var osRelease: [UInt8]
    /// In the order given on the command line.
    package var extensions: [File]
    /// Sorted by unit name.
    package var units: [File]
    /// Raw images only.
    package var disk: DiskDetails?

    package init(path: String, osRelease: [UInt8], extensions: [File], units: [File], disk: DiskDetails? = nil) {
        self.path = path
        self.osRelease = osRelease
        self.extensions = extensions
        self.units = units
        self.disk = disk
    }
}

/// What attach and detach report: the units, the file changes in order, and non-fatal problems
/// (enable/start failures, no service manager) that portablectl would log.
package struct CLIOperationResult: Sendable, Equatable {
    package var units: [String]
    package var changes: [ChangeRecord]
    package var warnings: [String]

    package init(units: [String], changes: [ChangeRecord], warnings: [String] = []) {
        self.units = units
        self.changes = changes
        self.warnings = warnings
    }
}

/// The result of a reattach: units that went away, and everything (re)written.
package struct CLIReattachResult: Sendable, Equatable {
    package var removed: [ChangeRecord]
    package var updated: [ChangeRecord]
    package var warnings: [String]

    package init(removed: [ChangeRecord], updated: [ChangeRecord], warnings: [String] = []) {
        self.removed = removed
        self.updated = updated
        self.warnings = warnings
    }
}
