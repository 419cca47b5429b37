import PortableEngine

extension CommandLineParser {
    /// The options seen so far, checked one by one as portablectl checks them.
    struct Settings {
        var global = GlobalSettings()
        var selection = ImageSelection(image: "")
        var flags = ServiceManagerFlags()
        var profile = "default"
        var copy = "auto"
        var keyFile: String?
        var cat = false
        var clean = false
        var help = false
        var version = false

        /// Notes one option; false when it answers at once (`--copy=help`).
        mutating func apply(_ option: Option, value: String?) throws(CLIError) -> Bool {
            let value = value ?? ""
            switch option {
            case .help:
                help = true
                return false
            case .version:
                version = true
                return false
            case .noPager, .noAskPassword: break
            case .noLegend: global.noLegend = true
            // The last of -H and -M wins, as in portablectl.
            case .host: global.remote = .host(value)
            case .machine: global.remote = RemoteTarget.machine(named: value)
            case .quiet: global.quiet = true
            case .profile:
                try AttachOptions.validate(profile: value)
                profile = value
            case .copy:
                if value == "help" { return false }
                try AttachOptions.validate(copy: value)
                copy = value
            case .runtime: flags.runtime = true
            case .noReload: flags.noReload = true
            case .cat: cat = true
            case .enable: flags.enable = true
            case .now: flags.now = true
            case .noBlock: flags.noBlock = true
            case .extension: selection.extensions.append(value)
            case .force: selection.force = true
            case .clean: clean = true
            case .user: global.scope = .user
            case .system: global.scope = .system
            case .root: global.root = value
            case .address: global.address = value
            case .json:
                guard let mode = JSONMode(rawValue: value) else {
                    throw CLIError("Unknown argument to --json= switch: \(value)", hint: "Use short, pretty or off.")
                }
                global.json = mode
            case .keyFile: keyFile = value
            }
            return true
        }

        /// The verb and its arguments, counted as portablectl's verb table counts them.
        func verb(_ operands: [String]) throws(CLIError) -> ParsedCommandLine.Verb {
            // portablectl lists the profiles while it reads its options, before it looks at a verb: alone
            // (`portablectl --profile=help`, lab 257 and 262) or with any verb and arguments.
            if profile == "help" { return .profiles }
            guard let name = operands.first else { return .list }
            let arguments = Array(operands.dropFirst())
            guard let limits = Self.argumentCount(of: name) else {
                throw CLIError("Unknown command verb '\(name)'.", hint: "See 'berthctl --help' for the verbs.")
            }
            guard arguments.count >= limits.lowerBound else { throw CLIError("Too few arguments.") }
            guard arguments.count <= limits.upperBound else { throw CLIError("Too many arguments.") }
            if let remote = global.remote, global.root != nil {
                throw CLIError(
                    "--root= cannot be combined with -H/--host= or -M/--machine= (\(remote.displayName)).",
                    hint: "--root= works on a tree of this machine, in process; drop one of the two."
                )
            }
            var selection = selection
            selection.image = arguments.first ?? ""
            selection.prefixes = Array(arguments.dropFirst())
            var attach = AttachSettings(selection: selection)
            attach.flags = flags
            attach.profile = profile
            attach.copy = copy
            attach.keyFile = keyFile
            switch name {
            case "attach": return .attach(attach)
            case "reattach":
                try refuseClean()
                return .reattach(attach)
            case "detach":
                try refuseClean()
                return .detach(selection, flags)
            case "inspect": return .inspect(selection, keyFile: keyFile, cat: cat)
            case "is-attached": return .isAttached(selection)
            case "read-only": return .readOnly(image: selection.image, value: arguments.dropFirst().first)
            case "remove": return .remove(arguments)
            case "set-limit": return .setLimit(arguments)
            case "profiles": return .profiles
            case "watch": return .watch(arguments)
            default: return .list
            }
        }

        private func refuseClean() throws(CLIError) {
            guard clean else { return }
            throw CLIError(
                "--clean is not supported by berthctl yet.",
                hint: "Remove the units' state, cache and log directories by hand after detaching."
            )
        }

        /// Arguments after the verb, from portablectl's verb table. `set-limit` also takes one (the pool's
        /// limit): portablectl's table asks for two, which leaves its own pool branch unreachable.
        static func argumentCount(of verb: String) -> ClosedRange<Int>? {
            switch verb {
            case "list", "profiles": 0...0
            case "attach", "detach", "reattach", "inspect", "remove": 1...Int.max
            case "is-attached": 1...1
            case "read-only", "set-limit": 1...2
            case "watch": 0...Int.max
            default: nil
            }
        }
    }
}
