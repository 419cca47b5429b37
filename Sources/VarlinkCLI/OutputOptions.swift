import ArgumentParser

/// How JSON is printed: `short` is one line per value, `pretty` is indented for people.
enum JSONFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case short
    case pretty
}

/// Output flags shared by every command that talks to a service.
struct OutputOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "JSON output: 'short' (one line) or 'pretty' (indented).",
            discussion: "Default: pretty on a terminal, short otherwise. Commands that print tables or IDL print "
                + "the raw JSON replies instead when this is given.",
            valueName: "short|pretty"
        )
    )
    var json: JSONFormat?

    @Flag(name: .customShort("j"), help: "Same as --json=pretty on a terminal, --json=short otherwise.")
    var jsonAuto = false

    @Flag(name: .long, help: "Do not pipe output into a pager.")
    var noPager = false

    @Flag(
        name: [.short, .long],
        help: "Print no reply data (call) and no informational messages; errors are still reported."
    )
    var quiet = false

    /// Whether the user asked for JSON rather than the command's human-readable form.
    var wantsJSON: Bool { json != nil || jsonAuto }

    /// The JSON layout to use, applying the terminal default when none was given.
    func format(on terminal: Terminal) -> JSONFormat {
        json ?? (terminal.isInteractive ? .pretty : .short)
    }

    func makeTerminal() -> Terminal { Terminal(noPager: noPager) }
}
