/// Everything a verb-based tool's command line is: its options (in getopt's order), its verbs, and
/// the texts about them. The parser (`getopt`), help (`HelpText`), the completion scripts and the man
/// page (`ToolDocument`) are all derived from it, so they cannot disagree.
package struct ToolDescription: Sendable {
    package var program: String
    package var abstract: String
    /// Paragraphs and indented example lines, as in `CommandLineVerb.discussion`.
    package var discussion: String
    /// In the order getopt lists an ambiguous abbreviation's candidates; `getopt` reports options by
    /// their index in this array.
    package var options: [CommandLineOption]
    /// Long names of the options every verb takes, shown first in each verb's help and in the tool's.
    package var globalOptions: [String]
    /// Long names of the options shown last everywhere (`--version`, `--help`).
    package var trailingOptions: [String]
    package var verbs: [CommandLineVerb]
    /// The verb run when none is given.
    package var defaultVerb: String?
    /// The man page's section heading name (`.TH` "manual" field), e.g. the project's name.
    package var manualSource: String

    package init(
        program: String,
        abstract: String,
        discussion: String,
        options: [CommandLineOption],
        globalOptions: [String],
        trailingOptions: [String],
        verbs: [CommandLineVerb],
        defaultVerb: String? = nil,
        manualSource: String
    ) {
        self.program = program
        self.abstract = abstract
        self.discussion = discussion
        self.options = options
        self.globalOptions = globalOptions
        self.trailingOptions = trailingOptions
        self.verbs = verbs
        self.defaultVerb = defaultVerb
        self.manualSource = manualSource
    }

    /// The parser of every verb: all options are taken anywhere, as portablectl's getopt takes them.
    package var getopt: Getopt {
        Getopt(program: program, options: options.map(\.getopt))
    }

    package func option(_ long: String) -> CommandLineOption? {
        options.first { $0.long == long }
    }

    package func verb(_ name: String) -> CommandLineVerb? {
        verbs.first { $0.name == name }
    }

    /// The options help shows for `verb` (nil: the tool's own help), in help's order.
    package func displayedOptions(of verb: CommandLineVerb?) -> [CommandLineOption] {
        let names = globalOptions + (verb?.options ?? []) + trailingOptions
        return names.compactMap(option)
    }

    /// The verbs that take `option` (by long name): every verb for a global or trailing one.
    package func verbs(taking option: String) -> [CommandLineVerb] {
        if globalOptions.contains(option) || trailingOptions.contains(option) { return verbs }
        return verbs.filter { $0.options.contains(option) }
    }

    /// `attach [<options>] <image> [<prefix> ...]`
    package func usage(of verb: CommandLineVerb) -> String {
        ([program, verb.name, "[<options>]"] + verb.arguments.map(\.usage)).joined(separator: " ")
    }
}
