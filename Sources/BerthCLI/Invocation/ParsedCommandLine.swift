package import ArgumentParser

/// A berthctl command line with every option decided, before anything is resolved or read.
///
/// Both parsers produce it: `QuickParser` for the common verbs (no reflection, a fraction of a
/// millisecond) and ArgumentParser for everything else (help, completions, errors, rarer verbs). What
/// runs is the same either way (`run()`), and a test holds the two parsers to the same result.
package struct ParsedCommandLine: Equatable, Sendable {
    package var global: GlobalSettings
    package var verb: Verb

    package init(global: GlobalSettings, verb: Verb) {
        self.global = global
        self.verb = verb
    }

    /// The verbs that have a settings value (the ones `QuickParser` knows).
    package enum Verb: Equatable, Sendable {
        case list
        case attach(AttachSettings)
        case reattach(AttachSettings)
        case detach(ImageSelection, ServiceManagerFlags)
        case inspect(ImageSelection, keyFile: String?, cat: Bool)
        case isAttached(ImageSelection)
    }
}

/// The options every verb takes.
package struct GlobalSettings: Equatable, Sendable {
    package var root: String?
    package var address: String = Berthctl.defaultAddress
    package var quiet = false
    package var noLegend = false
    package var json: JSONMode = .off

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
    func resolvedExtensions(root: String?, mustExist: Bool) throws(CLIError) -> [String] {
        var resolved: [String] = []
        for argument in extensions {
            resolved.append(try ImageArgument.resolve(argument, root: root, mustExist: mustExist))
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

/// An ArgumentParser verb that only turns its options into a `ParsedCommandLine`, which then runs.
package protocol SettingsCommand: AsyncParsableCommand {
    var parsedCommandLine: ParsedCommandLine { get }
}

extension SettingsCommand {
    package func run() async throws {
        try await parsedCommandLine.run()
    }
}
