/// Lets global options appear anywhere, as getopt's permutation does for portablectl and
/// systemctl: options written before the verb are moved after it, where the verb parses them.
package enum ArgumentHoisting {
    /// Options that take their value as the next argument when not written `--name=value`.
    package static let optionsWithValue = CommandLineParser.spellingsWithValue.union(["--generate-completion-script"])

    package static func reorder(_ arguments: [String], verbs: Set<String>) -> [String] {
        var leading: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--" { break }
            if verbs.contains(argument) {
                var result = [argument]
                result.append(contentsOf: leading)
                result.append(contentsOf: arguments[(index + 1)...])
                return result
            }
            guard argument.hasPrefix("-"), argument != "-" else { break }
            leading.append(argument)
            if optionsWithValue.contains(argument), index + 1 < arguments.count {
                leading.append(arguments[index + 1])
                index += 1
            }
            index += 1
        }
        // No verb: the default verb (list) gets the options, unless this is a root-level request.
        let rootLevel: Set<String> = [
            "-h", "--help", "--version", "--generate-completion-script", "--experimental-dump-help",
        ]
        if arguments.contains(where: { rootLevel.contains($0) || $0.hasPrefix("--generate-completion-script=") }) {
            return arguments
        }
        if index == arguments.count { return ["list"] + arguments }
        return arguments
    }
}
