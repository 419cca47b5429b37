/// Parses the common berthctl command lines without ArgumentParser.
///
/// ArgumentParser builds its command tree by reflection and looks up protocol conformances across
/// the whole binary, which costs about 2 ms of every start: as much as a directory attach in berthd.
/// This parser knows list, attach, reattach, detach, inspect and is-attached with all their options
/// and the permutation `ArgumentHoisting` allows, and returns nil for anything it is not sure of
/// (help, `--version`, completions, other verbs, unknown or repeated options, a missing value, `--`),
/// which then goes to ArgumentParser for the same result or its usual error message. A test checks
/// that both parsers agree on every command line this one accepts.
package enum QuickParser {
    /// The settings `arguments` (without the program name) ask for, or nil to let ArgumentParser decide.
    package static func parse(_ arguments: [String]) -> ParsedCommandLine? {
        var state = State()
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument.hasPrefix("-") && argument != "-" {
                let name: String
                var value: String?
                if let equals = argument.firstIndex(of: "=") {
                    name = String(argument[..<equals])
                    value = String(argument[argument.index(after: equals)...])
                } else {
                    name = argument
                }
                // Unknown spellings, `-p=x` and `--root=` (ArgumentParser then takes the next argument) are
                // ArgumentParser's to judge.
                guard let option = Option(spelling: name), value == nil || name.hasPrefix("--") && value != ""
                else { return nil }
                if option.takesValue {
                    if value == nil {
                        // A following option is not a value (ArgumentParser says "missing value"); "-" is one.
                        guard index < arguments.count else { return nil }
                        let next = arguments[index]
                        guard !next.hasPrefix("-") || next == "-" else { return nil }
                        value = next
                        index += 1
                    }
                } else if value != nil {
                    return nil  // `--force=yes`: ArgumentParser's error message
                }
                guard state.record(option, value: value ?? "") else { return nil }
            } else if state.verb == nil {
                guard let verb = VerbName(rawValue: argument) else { return nil }
                state.verb = verb
            } else {
                state.positionals.append(argument)
            }
        }
        return state.result()
    }

    /// The options that take a value (`--root DIR`), as `ArgumentHoisting` must know them.
    package static let spellingsWithValue: Set<String> = [
        "--root", "--address", "--json", "--extension", "-p", "--profile", "--copy", "--key-file",
    ]

    /// Whether `spelling` is an option of these verbs, and whether it takes a value (for a test).
    package static func knows(_ spelling: String) -> (known: Bool, takesValue: Bool) {
        guard let option = Option(spelling: spelling) else { return (false, false) }
        return (true, option.takesValue)
    }

    private enum VerbName: String {
        case list, attach, reattach, detach, inspect
        case isAttached = "is-attached"
    }

    /// Every option of those verbs, and which verbs take it.
    private enum Option: Int {
        case root, address, quiet, noPager, noLegend, noAskPassword, json
        case `extension`, force
        case runtime, enable, now, noBlock, noReload
        case profile, copy, keyFile, cat

        /// A switch rather than a dictionary: a static dictionary costs 0.1 ms of generic metadata per start.
        init?(spelling: String) {
            switch spelling {
            case "--root": self = .root
            case "--address": self = .address
            case "-q", "--quiet": self = .quiet
            case "--no-pager": self = .noPager
            case "--no-legend": self = .noLegend
            case "--no-ask-password": self = .noAskPassword
            case "--json": self = .json
            case "--extension": self = .extension
            case "--force": self = .force
            case "--runtime": self = .runtime
            case "--enable": self = .enable
            case "--now": self = .now
            case "--no-block": self = .noBlock
            case "--no-reload": self = .noReload
            case "-p", "--profile": self = .profile
            case "--copy": self = .copy
            case "--key-file": self = .keyFile
            case "--cat": self = .cat
            default: return nil
            }
        }

        var takesValue: Bool {
            switch self {
            case .root, .address, .json, .extension, .profile, .copy, .keyFile: true
            default: false
            }
        }

        func applies(to verb: VerbName) -> Bool {
            switch self {
            case .root, .address, .quiet, .noPager, .noLegend, .noAskPassword, .json: true
            case .extension, .force: verb != .list
            case .runtime, .enable, .now, .noBlock, .noReload: [.attach, .reattach, .detach].contains(verb)
            case .profile, .copy: verb == .attach || verb == .reattach
            case .keyFile: [.attach, .reattach, .inspect].contains(verb)
            case .cat: verb == .inspect
            }
        }
    }

    /// Plain bits and slots, not a Set or Dictionary of `Option`: their generic metadata would cost more
    /// than the parse.
    private struct State {
        var verb: VerbName?
        var positionals: [String] = []
        var seen: UInt32 = 0
        var values = [String?](repeating: nil, count: Option.cat.rawValue + 1)
        var extensions: [String] = []

        func has(_ option: Option) -> Bool { seen & 1 << option.rawValue != 0 }

        func value(_ option: Option) -> String? { values[option.rawValue] }

        /// Notes an option; false for one given twice (ArgumentParser's rules for that are its own).
        mutating func record(_ option: Option, value: String) -> Bool {
            if option == .extension {
                extensions.append(value)
                return true
            }
            guard !has(option) else { return false }
            seen |= 1 << option.rawValue
            values[option.rawValue] = value
            return true
        }

        /// Every option given applies to `verb`.
        func allApply(to verb: VerbName) -> Bool {
            for raw in 0..<values.count where seen & 1 << raw != 0 {
                if let option = Option(rawValue: raw), !option.applies(to: verb) { return false }
            }
            return extensions.isEmpty || Option.extension.applies(to: verb)
        }

        func result() -> ParsedCommandLine? {
            let verb = self.verb ?? .list
            guard allApply(to: verb) else { return nil }
            var global = GlobalSettings()
            global.root = value(.root)
            global.address = value(.address) ?? global.address
            global.quiet = has(.quiet)
            global.noLegend = has(.noLegend)
            if let json = value(.json) {
                guard let mode = JSONMode(rawValue: json) else { return nil }
                global.json = mode
            }
            if verb == .list {
                return positionals.isEmpty ? ParsedCommandLine(global: global, verb: .list) : nil
            }
            guard let image = positionals.first, verb != .isAttached || positionals.count == 1 else { return nil }
            let selection = ImageSelection(
                image: image,
                prefixes: Array(positionals.dropFirst()),
                extensions: extensions,
                force: has(.force)
            )
            var flags = ServiceManagerFlags()
            flags.runtime = has(.runtime)
            flags.enable = has(.enable)
            flags.now = has(.now)
            flags.noBlock = has(.noBlock)
            flags.noReload = has(.noReload)
            var attach = AttachSettings(selection: selection)
            attach.flags = flags
            attach.profile = value(.profile) ?? attach.profile
            attach.copy = value(.copy) ?? attach.copy
            attach.keyFile = value(.keyFile)
            switch verb {
            case .list: return nil
            case .attach: return ParsedCommandLine(global: global, verb: .attach(attach))
            case .reattach: return ParsedCommandLine(global: global, verb: .reattach(attach))
            case .detach: return ParsedCommandLine(global: global, verb: .detach(selection, flags))
            case .inspect:
                let verb = ParsedCommandLine.Verb.inspect(selection, keyFile: attach.keyFile, cat: has(.cat))
                return ParsedCommandLine(global: global, verb: verb)
            case .isAttached: return ParsedCommandLine(global: global, verb: .isAttached(selection))
            }
        }
    }
}
