/// Parameters of attach and reattach (portablectl's options; the IDL's AttachImage/ReattachImage).
package struct AttachRequest: Sendable, Hashable {
    /// An image name in the search path or an absolute path (inside the host tree).
    package var image: String
    /// Extension image paths, in layering order.
    package var extensions: [String]
    /// Unit name prefixes; empty derives them from `PORTABLE_PREFIXES=` or the image name.
    package var matches: [String]
    /// Profile name.
    package var profile: String
    package var copyMode: CopyMode
    /// Attach below /run.
    package var runtime: Bool
    /// Replace existing files, skip the exists/active checks, relax extension-release names.
    package var force: Bool
    /// Skip daemon-reload.
    package var noReload: Bool
    /// Enable the attached units.
    package var enable: Bool
    /// Start (reattach: restart) the attached units.
    package var now: Bool
    /// Do not wait for start jobs.
    package var noBlock: Bool
    /// Key material for an encrypted root image.
    package var key: ImageKey?
    /// Whoever mounts raw images for the engine (systemd-mountfsd) may ask polkit interactively.
    package var allowInteractiveAuthentication = false

    package init(
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
package struct DetachRequest: Sendable, Hashable {
    /// The image name or path; the image itself need not exist any more.
    package var image: String
    package var extensions: [String]
    package var runtime: Bool
    /// Detach even if units are active.
    package var force: Bool
    package var noReload: Bool
    /// Disable the units first.
    package var enable: Bool
    /// Stop the units first.
    package var now: Bool
    package var noBlock: Bool

    package init(
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
package struct InspectRequest: Sendable, Hashable {
    package var image: String
    package var extensions: [String]
    /// Prefixes; empty derives them; `["-"]` means every unit.
    package var matches: [String]
    /// Relax the extension-release name check.
    package var force: Bool
    /// Key material for an encrypted root image.
    package var key: ImageKey?
    /// Whoever mounts raw images for the engine (systemd-mountfsd) may ask polkit interactively.
    package var allowInteractiveAuthentication = false
    /// An os-release of the root that does not parse: refused, or passed on as read (the bus).
    package var unparsableOSRelease: ReleaseFile.WhenUnparsable

    package init(
        image: String,
        extensions: [String] = [],
        matches: [String] = [],
        force: Bool = false,
        key: ImageKey? = nil,
        unparsableOSRelease: ReleaseFile.WhenUnparsable = .refuse
    ) {
        self.image = image
        self.extensions = extensions
        self.matches = matches
        self.force = force
        self.key = key
        self.unparsableOSRelease = unparsableOSRelease
    }
}

/// What attach and detach report.
package struct OperationResult: Sendable, Hashable {
    /// Unit names attached or detached, sorted.
    package var units: [String]
    /// File system changes, in the order they were made.
    package var changes: [Change]
    /// Non-fatal problems (enable/start failures, no service manager), as portablectl logs them.
    package var warnings: [String] = []
    /// Unusable unit entries of the image that were skipped (for the log only, not on the wire).
    package var skippedEntries: [String] = []
    /// The `[Install]` links PID 1 created enabling (or removed disabling) the units, as it reported them.
    package var installChanges: [Change] = []
    /// The jobs `--now` queued (start on attach, stop on detach), in order.
    package var jobs: [QueuedJob] = []
}

/// What reattach reports.
package struct ReattachResult: Sendable, Hashable {
    /// Changes removing units that the new version no longer has.
    package var removed: [Change]
    /// All changes made attaching the new version.
    package var updated: [Change]
    /// Unit names now attached, sorted.
    package var units: [String]
    package var warnings: [String] = []
    /// Unusable unit entries of the new version that were skipped (for the log only, not on the wire).
    package var skippedEntries: [String] = []
    /// The `[Install]` links PID 1 created enabling the new units, as it reported them.
    package var installChanges: [Change] = []
    /// The jobs `--now` queued (stop of vanished units, restart of the updated ones), in order.
    package var jobs: [QueuedJob] = []
}

/// What applying a plan reported besides the file changes.
package struct AppliedPlan: Sendable {
    /// PID 1 requests that failed (the files are in place either way).
    package var warnings: [String]
    /// The `[Install]` links PID 1 created or removed.
    package var installChanges: [Change]
    /// The jobs PID 1 queued.
    package var jobs: [QueuedJob]
}

/// Everything inspect reports.
package struct ImageMetadata: Sendable, Hashable {
    package var path: String
    package var kind: ImageKind
    package var osRelease: ReleaseFile
    package var extensionReleases: [ReleaseFile]
    /// Matched units of the root image and all extensions, sorted by name.
    package var units: [UnitFile]
    /// How the root image was opened, for raw images; nil for trees.
    package var disk: DiskDetails?
}
