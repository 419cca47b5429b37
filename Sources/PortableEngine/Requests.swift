/// Parameters of attach and reattach (portablectl's options; the IDL's AttachImage/ReattachImage).
public struct AttachRequest: Sendable, Hashable {
    /// An image name in the search path or an absolute path (inside the host tree).
    public var image: String
    /// Extension image paths, in layering order.
    public var extensions: [String]
    /// Unit name prefixes; empty derives them from `PORTABLE_PREFIXES=` or the image name.
    public var matches: [String]
    /// Profile name.
    public var profile: String
    public var copyMode: CopyMode
    /// Attach below /run.
    public var runtime: Bool
    /// Replace existing files, skip the exists/active checks, relax extension-release names.
    public var force: Bool
    /// Skip daemon-reload.
    public var noReload: Bool
    /// Enable the attached units.
    public var enable: Bool
    /// Start (reattach: restart) the attached units.
    public var now: Bool
    /// Do not wait for start jobs.
    public var noBlock: Bool
    /// Key material for an encrypted root image.
    public var key: ImageKey?

    public init(
        image: String,
        extensions: [String] = [],
        matches: [String] = [],
        profile: String = "default",
        copyMode: CopyMode = .auto,
        runtime: Bool = false,
        force: Bool = false,
        noReload: Bool = false,
        enable: Bool = false,
        now: Bool = false,
        noBlock: Bool = false,
        key: ImageKey? = nil
    ) {
        self.image = image
        self.extensions = extensions
        self.matches = matches
        self.profile = profile
        self.copyMode = copyMode
        self.runtime = runtime
        self.force = force
        self.noReload = noReload
        self.enable = enable
        self.now = now
        self.noBlock = noBlock
        self.key = key
    }
}

/// Parameters of detach.
public struct DetachRequest: Sendable, Hashable {
    /// The image name or path; the image itself need not exist any more.
    public var image: String
    public var extensions: [String]
    public var runtime: Bool
    /// Detach even if units are active.
    public var force: Bool
    public var noReload: Bool
    /// Disable the units first.
    public var enable: Bool
    /// Stop the units first.
    public var now: Bool
    public var noBlock: Bool

    public init(
        image: String,
        extensions: [String] = [],
        runtime: Bool = false,
        force: Bool = false,
        noReload: Bool = false,
        enable: Bool = false,
        now: Bool = false,
        noBlock: Bool = false
    ) {
        self.image = image
        self.extensions = extensions
        self.runtime = runtime
        self.force = force
        self.noReload = noReload
        self.enable = enable
        self.now = now
        self.noBlock = noBlock
    }
}

/// Parameters of inspect.
public struct InspectRequest: Sendable, Hashable {
    public var image: String
    public var extensions: [String]
    /// Prefixes; empty derives them; `["-"]` means every unit.
    public var matches: [String]
    /// Relax the extension-release name check.
    public var force: Bool
    /// Key material for an encrypted root image.
    public var key: ImageKey?

    public init(
        image: String,
        extensions: [String] = [],
        matches: [String] = [],
        force: Bool = false,
        key: ImageKey? = nil
    ) {
        self.image = image
        self.extensions = extensions
        self.matches = matches
        self.force = force
        self.key = key
    }
}

/// What attach and detach report.
public struct OperationResult: Sendable, Hashable {
    /// Unit names attached or detached, sorted.
    public var units: [String]
    /// File system changes, in the order they were made.
    public var changes: [Change]
    /// Non-fatal problems (enable/start failures, no service manager), as portablectl logs them.
    public var warnings: [String]

    public init(units: [String], changes: [Change], warnings: [String] = []) {
        self.units = units
        self.changes = changes
        self.warnings = warnings
    }
}

/// What reattach reports.
public struct ReattachResult: Sendable, Hashable {
    /// Changes removing units that the new version no longer has.
    public var removed: [Change]
    /// All changes made attaching the new version.
    public var updated: [Change]
    /// Unit names now attached, sorted.
    public var units: [String]
    public var warnings: [String]

    public init(removed: [Change], updated: [Change], units: [String], warnings: [String] = []) {
        self.removed = removed
        self.updated = updated
        self.units = units
        self.warnings = warnings
    }
}

/// Everything inspect reports.
public struct ImageMetadata: Sendable, Hashable {
    public var path: String
    public var kind: ImageKind
    public var osRelease: ReleaseFile
    public var extensionReleases: [ReleaseFile]
    /// Matched units of the root image and all extensions, sorted by name.
    public var units: [UnitFile]
    /// How the root image was opened, for raw images; nil for trees.
    public var disk: DiskDetails?
}
