/// One option of a tool: how it is spelled, whether and what value it takes, what help says about it
/// and what a shell completes for its value.
package struct CommandLineOption: Sendable {
    /// The long name, without `--`.
    package var long: String
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
        completion: ValueCompletion = .none
    ) {
        self.long = long
        self.short = short
        self.valueName = valueName
        self.help = help
        self.defaultValue = defaultValue
        self.completion = completion
    }

    package var takesValue: Bool { valueName != nil }

    /// The option as getopt sees it.
    package var getopt: Getopt.Option {
        Getopt.Option(long, short: short, takesValue: takesValue)
    }

    /// Its spellings as help shows them: `-p, --profile <PROFILE>`.
    package var label: String {
        var label = short.map { "-\($0), " } ?? ""
        label += "--" + long
        if let valueName { label += " <\(valueName)>" }
        return label
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
