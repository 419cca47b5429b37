package import PortableEngine

/// A berthctl command line with every option decided, before anything is resolved or read
/// (`CommandLineParser` produces it for every verb, a fraction of a millisecond).
package struct ParsedCommandLine: Equatable, Sendable {
    package var global: GlobalSettings
    package var verb: Verb

    package init(global: GlobalSettings, verb: Verb) {
        self.global = global
        self.verb = verb
    }

    /// The verbs, with what each needs.
    package enum Verb: Equatable, Sendable {
        case list
        case attach(AttachSettings)
        case reattach(AttachSettings)
        case detach(ImageSelection, ServiceManagerFlags)
        case inspect(ImageSelection, keyFile: String?, cat: Bool)
        case isAttached(ImageSelection)
        /// `read-only IMAGE [BOOL]`, the boolean as typed.
        case readOnly(image: String, value: String?)
        case remove([String])
        /// `set-limit [IMAGE] BYTES`, as typed.
        case setLimit([String])
        /// `profiles`, `--profile=help`.
        case profiles
        /// `--copy=help`.
        case copyModes
        /// `watch [IMAGE…]` (Berth's own verb).
        case watch([String])
    }
}

/// The options every verb takes.
package struct GlobalSettings: Equatable, Sendable {
    package var root: String?
    /// `--address=`; nil: the scope's socket (`Berthctl.defaultAddress`, or the user's in `$XDG_RUNTIME_DIR`).
    package var address: String?
    /// `-H`, `-M`: berthd elsewhere; nil is this machine.
    package var remote: RemoteTarget?
    package var quiet = false
    package var noLegend = false
    package var json: JSONMode = .off
    /// `--user`/`--system` (portablectl 262): the user's berthd and tree, or the system's (default).
    package var scope: PortableScope = .system

    package init() {}

    /// Informational messages are off with `-q` and with JSON output (stdout is the document).
    var quietOrJSON: Bool { quiet || json != .off }
}

/// What attach and detach ask of PID 1 besides the file work (berthd, or nobody with `--root`, acts on it).
package struct ServiceManagerFlags: Sendable, Equatable {
    package var runtime = false
    package var enable = false
    package var now = false
    package var noBlock = false
    package var noReload = false

    package init() {}
}

/// The image a verb works on, as typed: its name or path, unit prefixes, `--extension=`s and `--force`.
package struct ImageSelection: Equatable, Sendable {
    package var image: String
    package var prefixes: [String] = []
    package var extensions: [String] = []
    package var force = false

    package init(image: String, prefixes: [String] = [], extensions: [String] = [], force: Bool = false) {
        self.image = image
        self.prefixes = prefixes
        self.extensions = extensions
        self.force = force
    }

    /// Extensions resolved like images (names as-is, paths absolute, inside `--root`).
    func resolvedExtensions(for global: GlobalSettings, mustExist: Bool) throws(CLIError) -> [String] {
        var resolved: [String] = []
        for argument in extensions {
            resolved.append(try ImageArgument.resolve(argument, for: global, mustExist: mustExist))
        }
        return resolved
    }
}

/// What attach and reattach take.
package struct AttachSettings: Equatable, Sendable {
    package var selection: ImageSelection
    package var flags = ServiceManagerFlags()
    package var profile = "default"
    package var copy = "auto"
    package var keyFile: String?

    package init(selection: ImageSelection) {
        self.selection = selection
    }
}

/// `--json=` values.
package enum JSONMode: String, CaseIterable, Sendable {
    case short
    case pretty
    case off
}
