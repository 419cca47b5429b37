/// One option of a tool: how it is spelled, whether and what value it takes, what help says about it
/// and what a shell completes for its value.
package struct CommandLineOption: Sendable {
    /// The long name, without `--`; for a short-only option (varlink's `-j`) only the key that verb
    /// tables and help use, never accepted or shown as `--long`.
    package var long: String
    /// False for an option spelled only with its letter.
    package var spellsLong: Bool
    package var short: Character?
    /// The value's name in help (`DIR`); nil for a flag.
    package var valueName: String?
    package var help: String
    /// Shown in help after the text: `(values: …; default: …)`.
    package var defaultValue: String?
    package var completion: ValueCompletion

    package init(
        _ long: String,
        short: Character? = nil,
        value valueName: String? = nil,
        help: String,
        default defaultValue: String? = nil,
        completion: ValueCompletion = .none,
        spellsLong: Bool = true
    ) {
        self.long = long
        self.spellsLong = spellsLong
        self.short = short
        self.valueName = valueName
        self.help = help
        self.defaultValue = defaultValue
        self.completion = completion
    }

    package var takesValue: Bool { valueName != nil }

    /// The option as getopt sees it.
    package var getopt: Getopt.Option {
        Getopt.Option(long, short: short, takesValue: takesValue, spellsLong: spellsLong)
    }

    /// Its spellings as help shows them: `-p, --profile <PROFILE>`.
    package var label: String {
        var label = spellings.joined(separator: ", ")
        if let valueName { label += " <\(valueName)>" }
        return label
    }

    /// `-p`, `--profile`: how it may be written, short first.
    package var spellings: [String] {
        (short.map { ["-" + String($0)] } ?? []) + (spellsLong ? ["--" + long] : [])
    }

    /// Help text with the values a shell would offer and the default, as help shows them.
    package var helpWithValues: String {
        var notes: [String] = []
        if case .words(let words) = completion, !words.isEmpty {
            notes.append("values: " + words.joined(separator: ", "))
        }
        if let defaultValue { notes.append("default: " + defaultValue) }
        guard !notes.isEmpty else { return help }
        return help + " (" + notes.joined(separator: "; ") + ")"
    }
}
