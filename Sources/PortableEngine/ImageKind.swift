/// What kind of file system object an image is (systemd's type strings).
package enum ImageKind: String, Sendable, Hashable, CaseIterable {
    case directory
    case subvolume
    case raw
    case block

    /// The drop-in setting naming the root of a unit of this kind.
    var rootSetting: String {
        switch self {
        case .directory, .subvolume: "RootDirectory="
        case .raw, .block: "RootImage="
        }
    }

    /// The drop-in setting naming an extension of this kind.
    var extensionSetting: String {
        switch self {
        case .directory, .subvolume: "ExtensionDirectories="
        case .raw, .block: "ExtensionImages="
        }
    }

    var isTree: Bool { self == .directory || self == .subvolume }
}

/// How far an image is attached; raw values are systemd's strings.
package enum ImageState: String, Sendable, Hashable, CaseIterable {
    case detached
    case attached
    case attachedRuntime = "attached-runtime"
    case enabled
    case enabledRuntime = "enabled-runtime"
    case running
    case runningRuntime = "running-runtime"

    /// Anything but detached.
    package var isAttached: Bool { self != .detached }
}

/// How attach places unit files, the profile drop-in and the image.
package enum CopyMode: String, Sendable, Hashable, CaseIterable {
    /// Copy units, symlink the profile and the image.
    case auto
    /// Copy units and the profile, symlink the image.
    case copy
    /// Symlink units (tree images only), the profile and the image.
    case symlink
    /// Copy units, symlink the profile, copy the image into the portables directory.
    case mixed
}

/// One file system change, as portabled reports them.
package struct Change: Sendable, Hashable, CustomStringConvertible {
    package enum Kind: String, Sendable, Hashable {
        case symlink, copy, write, unlink, mkdir, rmdir
    }

    package var kind: Kind
    /// The host path changed (with the `--root` directory in front, when there is one).
    package var path: String
    /// Link target for symlinks, the copied file for copies; nil otherwise.
    package var source: String?

    package init(kind: Kind, path: String, source: String? = nil) {
        self.kind = kind
        self.path = path
        self.source = source
    }

    /// The line portablectl prints for this change.
    package var description: String {
        switch kind {
        case .symlink: "Created symlink \(path) \u{2192} \(source ?? "")."
        case .copy: source.map { "Copied \($0) \u{2192} \(path)." } ?? "Copied \(path)."
        case .write: "Written \(path)."
        case .unlink, .rmdir: "Removed \(path)."
        case .mkdir: "Created directory \(path)."
        }
    }
}
