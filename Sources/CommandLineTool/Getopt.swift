/// GNU `getopt_long` as portablectl uses it: options anywhere (the arguments are permuted), `--` ends
/// them, long options may be abbreviated to any unambiguous prefix, short options may be bundled
/// (`-qp strict`, `-pstrict`), and every mistake is worded as glibc words it, after the program name.
package struct Getopt: Sendable {
    /// One option: its long name (without `--`), its short letter, and whether it takes a value.
    package struct Option: Sendable, Equatable {
        package var long: String
        package var short: Character?
        package var takesValue: Bool
        /// False for an option written only as `-x`: no `--long` matches it.
        package var spellsLong: Bool

        package init(_ long: String, short: Character? = nil, takesValue: Bool = false, spellsLong: Bool = true) {
            self.long = long
            self.short = short
            self.takesValue = takesValue
            self.spellsLong = spellsLong
        }
    }

    package var program: String
    package var options: [Option]

    package init(program: String, options: [Option]) {
        self.program = program
        self.options = options
    }

    /// Hands each option to `handle` in the order given (its index in the table and its value), as
    /// getopt returns them, and returns the other arguments in order. `handle` returns false to stop
    /// (portablectl's `--copy=help` and `--help` answer at once); then `stopped` is true and `operands` holds
    /// the arguments before it (`attach --help`: the verb whose help is asked for).
    package func parse(
        _ arguments: [String],
        handle: (Int, String?) throws(UsageError) -> Bool
    ) throws(UsageError) -> (operands: [String], stopped: Bool) {
        var operands: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument == "--" {
                operands += arguments[index...]
                break
            }
            var found: [(Int, String?)] = []
            if argument.hasPrefix("--") {
                found = [try parseLong(argument.dropFirst(2), arguments, &index)]
            } else if argument.hasPrefix("-") && argument != "-" {
                found = try parseShort(argument.dropFirst(), arguments, &index)
            } else {
                operands.append(argument)
            }
            for (option, value) in found {
                guard try handle(option, value) else { return (operands, true) }
            }
        }
        return (operands, false)
    }

    private func parseLong(
        _ text: Substring,
        _ arguments: [String],
        _ index: inout Int
    ) throws(UsageError) -> (Int, String?) {
        let name = text.prefix { $0 != "=" }
        let inlineValue = name.endIndex < text.endIndex ? String(text[text.index(after: name.endIndex)...]) : nil
        let found = try longOption(named: name, typed: text)
        let option = options[found]
        var value = inlineValue
        if option.takesValue {
            if value == nil {
                guard index < arguments.count else { throw usage("option '--\(option.long)' requires an argument") }
                value = arguments[index]
                index += 1
            }
        } else if value != nil {
            throw usage("option '--\(option.long)' doesn't allow an argument")
        }
        return (found, value)
    }

    /// An exact name, else the only option it abbreviates. glibc quotes what was typed (`typed`, with
    /// any `=value`) when it cannot pick an option.
    private func longOption(named name: Substring, typed: Substring) throws(UsageError) -> Int {
        if let exact = options.firstIndex(where: { $0.spellsLong && $0.long == name }) { return exact }
        let candidates = options.indices.filter { options[$0].spellsLong && options[$0].long.hasPrefix(name) }
        guard let first = candidates.first else { throw usage("unrecognized option '--\(typed)'") }
        guard candidates.count == 1 else {
            let possibilities = candidates.map { " '--\(options[$0].long)'" }.joined()
            throw usage("option '--\(typed)' is ambiguous; possibilities:\(possibilities)")
        }
        return first
    }

    /// Bundled letters: flags until one that takes a value, which takes the rest or the next argument.
    private func parseShort(
        _ letters: Substring,
        _ arguments: [String],
        _ index: inout Int
    ) throws(UsageError) -> [(Int, String?)] {
        var found: [(Int, String?)] = []
        var rest = letters
        while let letter = rest.first {
            rest = rest.dropFirst()
            guard let option = options.firstIndex(where: { $0.short == letter }) else {
                throw usage("invalid option -- '\(letter)'")
            }
            guard options[option].takesValue else {
                found.append((option, nil))
                continue
            }
            if !rest.isEmpty {
                found.append((option, String(rest)))
            } else if index < arguments.count {
                found.append((option, arguments[index]))
                index += 1
            } else {
                throw usage("option requires an argument -- '\(letter)'")
            }
            break
        }
        return found
    }

    private func usage(_ message: String) -> UsageError {
        UsageError("\(program): \(message)", hint: "See '\(program) --help'.")
    }
}
