/// One step of applying a plan. Paths are inside the host tree.
package enum FileOperation: Sendable, Hashable {
    /// Create a directory (0755); nothing if it exists.
    case makeDirectory(path: String)
    /// Write a file atomically (temp file, fsync, rename).
    case writeFile(path: String, contents: [UInt8], mode: UInt32)
    /// Create (or atomically replace) a symlink.
    case symlink(path: String, target: String)
    /// Copy an image tree into place (mixed copy mode), atomically by renaming a finished copy.
    case copyTree(path: String, source: String)
    /// Remove a file or symlink.
    case remove(path: String)
    /// Remove an empty directory.
    case removeDirectory(path: String)
    /// Remove a copied image tree.
    case removeTree(path: String)

    var path: String {
        switch self {
        case .makeDirectory(let path), .writeFile(let path, _, _), .symlink(let path, _), .copyTree(let path, _),
            .remove(let path), .removeDirectory(let path), .removeTree(let path):
            path
        }
    }
}

/// What PID 1 is asked to do around the file operations.
package struct ServiceActions: Sendable, Hashable {
    /// Before the files change (detach/reattach): stop these units, disable these.
    package var stopBefore: [String] = []
    package var disableBefore: [String] = []
    /// After the files changed.
    package var reload = false
    /// Attached unit file paths to enable.
    package var enable: [String] = []
    package var start: [String] = []
    package var restart: [String] = []
    package var wait = true
    package var runtime = false

    package init() {}
}

/// The exact outcome of an operation, computed before anything is touched.
///
/// `apply` carries it out as one transaction: all of it or none of it, even across a crash.
package struct Plan: Sendable, Hashable {
    package enum Kind: String, Sendable, Hashable {
        case attach, detach, reattach
    }

    package var kind: Kind
    /// The root image path (inside the host tree).
    package var image: String
    /// Units attached (attach/reattach) or detached (detach), sorted.
    package var units: [String]
    /// Reattach only: units of the old version that the new one no longer has.
    package var removedUnits: [String]
    package var operations: [FileOperation]
    /// The changes `apply` will report, in order.
    package var changes: [Change]
    /// Reattach only: the part of `changes` that removes vanished units.
    package var removedChanges: [Change]
    package var serviceActions: ServiceActions
    /// Whether the attached (persistent or runtime) directory is the runtime one.
    package var runtime: Bool
    /// The per-image lock this plan needs (the image's base name).
    package var lockKey: String
    /// Unit entries of the image planning skipped as unusable: logged by berthd, never shown to the
    /// client (portabled skips them silently).
    package var skippedEntries: [String] = []
}
