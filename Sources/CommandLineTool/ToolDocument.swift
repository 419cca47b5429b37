/// What a tool prints about itself instead of running: a completion script or its man page, asked for
/// with options no verb parses (`--generate-completion-script SHELL`, `--generate-manual`), so that they
/// do not change what getopt makes of the tool's own options (abbreviations stay as they were).
package enum ToolDocument: Sendable, Equatable {
    package enum Shell: String, Sendable, CaseIterable {
        case bash, zsh, fish
    }

    case completion(Shell)
    case manual

    /// The document `arguments` ask for, if any (before a `--`).
    package static func requested(in arguments: [String]) throws(UsageError) -> ToolDocument? {
        var index = 0
        while index < arguments.count, arguments[index] != "--" {
            let argument = arguments[index]
            index += 1
            if argument == "--generate-manual" { return .manual }
            let option = "--generate-completion-script"
            guard argument == option || argument.hasPrefix(option + "=") else { continue }
            var name = String(argument.dropFirst(option.count + 1))
            if argument == option {
                guard index < arguments.count else {
                    throw UsageError("option '\(option)' requires an argument", hint: "Use bash, zsh or fish.")
                }
                name = arguments[index]
            }
            guard let shell = Shell(rawValue: name) else {
                throw UsageError("Unknown shell '\(name)' for \(option).", hint: "Use bash, zsh or fish.")
            }
            return .completion(shell)
        }
        return nil
    }

    /// The document's text for `tool`.
    package func render(for tool: ToolDescription) -> String {
        switch self {
        case .completion(.bash): BashCompletionScript(tool).render()
        case .completion(.zsh): ZshCompletionScript(tool).render()
        case .completion(.fish): FishCompletionScript(tool).render()
        case .manual: ManualPage(tool).render()
        }
    }
}
