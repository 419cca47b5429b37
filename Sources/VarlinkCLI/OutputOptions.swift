/// How JSON is printed: `short` is one line per value, `pretty` is indented for people.
enum JSONFormat: String, CaseIterable, Sendable {
    case short
    case pretty
}

/// Output flags shared by every command that talks to a service.
struct OutputOptions: Sendable {
    /// `--json=`: nil when not given.
    var json: JSONFormat?
    /// `-j`
    var jsonAuto = false
    var noPager = false
    var quiet = false

    /// Whether the user asked for JSON rather than the command's human-readable form.
    var wantsJSON: Bool { json != nil || jsonAuto }

    /// The JSON layout to use, applying the terminal default when none was given.
    func format(on terminal: Terminal) -> JSONFormat {
        json ?? (terminal.isInteractive ? .pretty : .short)
    }

    func makeTerminal() -> Terminal { Terminal(noPager: noPager) }
}
