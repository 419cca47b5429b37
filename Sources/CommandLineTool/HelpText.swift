/// `--help` of a tool and of each of its verbs, derived from its `ToolDescription`.
package struct HelpText: Sendable {
    package var tool: ToolDescription

    package init(_ tool: ToolDescription) {
        self.tool = tool
    }

    /// The tool's help: what it is, its options and its verbs.
    package func overview() -> String {
        var text = section(overview: tool.abstract, discussion: tool.discussion)
        text += "USAGE: \(tool.program) [<options>] <subcommand> [<arguments>]\n\n"
        text += optionsSection(tool.displayedOptions(of: nil))
        text += "SUBCOMMANDS:\n"
        for verb in tool.verbs {
            let label = verb.name + (verb.name == tool.defaultVerb ? " (default)" : "")
            text += TextLayout.row(label, verb.abstract) + "\n"
        }
        text += "\n  See '\(tool.program) help <subcommand>' for detailed help.\n"
        return text
    }

    /// One verb's help: what it does, its usage, arguments and options.
    package func help(for verb: CommandLineVerb) -> String {
        var text = section(overview: verb.abstract, discussion: verb.discussion)
        text += "USAGE: \(tool.usage(of: verb))\n\n"
        if !verb.arguments.isEmpty {
            text += "ARGUMENTS:\n"
            for argument in verb.arguments {
                text += TextLayout.row("<\(argument.name)>", argument.help) + "\n"
            }
            text += "\n"
        }
        text += optionsSection(tool.displayedOptions(of: verb))
        return text
    }

    private func section(overview: String, discussion: String) -> String {
        var text = "OVERVIEW: \(overview)\n\n"
        if !discussion.isEmpty { text += TextLayout.wrap(discussion, width: TextLayout.paragraphWidth) + "\n\n" }
        return text
    }

    private func optionsSection(_ options: [CommandLineOption]) -> String {
        var text = "OPTIONS:\n"
        for option in options {
            text += TextLayout.row(option.label, option.helpWithValues) + "\n"
        }
        return text + "\n"
    }
}
