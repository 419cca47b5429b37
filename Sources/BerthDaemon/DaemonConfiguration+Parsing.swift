package import Logging
import PortableEngine
import Systemd

extension DaemonConfiguration {
    /// What the command line asks for: run, or print help/version and exit.
    package enum Command: Sendable, Equatable {
        case run(DaemonConfiguration)
        /// `--recover`: finish or roll back interrupted operations, reload PID 1 if that changed anything, exit.
        case recover(DaemonConfiguration)
        case help
        case version
    }

    /// Parses `berthd`'s arguments (without argv[0]). `--opt=value` and `--opt value` both work.
    ///
    /// No argument-parser here: the daemon library stays free of CLI dependencies, and the
    /// option set is small and stable.
    package static func parse(_ arguments: [String]) throws(DaemonConfigurationError) -> Command {
        var configuration = DaemonConfiguration()
        var recoverOnly = false
        var index = 0
        func value(for option: String, inline: String?) throws(DaemonConfigurationError) -> String {
            if let inline { return inline }
            index += 1
            guard index < arguments.count else {
                throw DaemonConfigurationError(option: option, reason: "needs a value")
            }
            return arguments[index]
        }
        while index < arguments.count {
            let argument = arguments[index]
            let (option, inline) = split(argument)
            switch option {
            case "-h", "--help":
                return .help
            case "--version":
                return .version
            case "--listen":
                let address = try value(for: option, inline: inline)
                guard !address.isEmpty else {
                    throw DaemonConfigurationError(option: option, value: address, reason: "empty address")
                }
                configuration.listenAddresses.append(address)
            case "--idle-timeout":
                configuration.idleTimeout = try parseIdleTimeout(try value(for: option, inline: inline))
            case "--log-level":
                configuration.logLevel = try parseLogLevel(try value(for: option, inline: inline))
            case "--log-target":
                let text = try value(for: option, inline: inline)
                guard let target = LogTarget(rawValue: text) else {
                    throw DaemonConfigurationError(
                        option: option,
                        value: text,
                        reason: "expected auto, journal or console"
                    )
                }
                configuration.logTarget = target
            case "--group":
                let group = try value(for: option, inline: inline)
                guard !group.isEmpty else {
                    throw DaemonConfigurationError(option: option, value: group, reason: "empty group")
                }
                configuration.authorizedGroup = group
            case "--root":
                let root = try value(for: option, inline: inline)
                guard root.hasPrefix("/") else {
                    throw DaemonConfigurationError(option: option, value: root, reason: "must be an absolute path")
                }
                configuration.root = root
            case "--profile-directory":
                let directory = try value(for: option, inline: inline)
                guard directory.hasPrefix("/") else {
                    throw DaemonConfigurationError(option: option, value: directory, reason: "must be an absolute path")
                }
                configuration.profileDirectory = directory
            case "--recover":
                guard inline == nil else { throw DaemonConfigurationError(option: option, reason: "takes no value") }
                recoverOnly = true
            case "--bus":
                guard inline == nil else { throw DaemonConfigurationError(option: option, reason: "takes no value") }
                configuration.servesBus = true
            case "--user", "--system":
                guard inline == nil else { throw DaemonConfigurationError(option: option, reason: "takes no value") }
                configuration.scope = option == "--user" ? .user : .system
            case "--no-pid1":
                guard inline == nil else { throw DaemonConfigurationError(option: option, reason: "takes no value") }
                configuration.usePID1 = false
            default:
                throw DaemonConfigurationError(option: argument, reason: "unknown option (see berthd --help)")
            }
            index += 1
        }
        return recoverOnly ? .recover(configuration) : .run(configuration)
    }

    /// Seconds, fractions allowed (`0.2`); `0` means never. Capped at a day so a typo cannot
    /// overflow the timer arithmetic.
    package static func parseIdleTimeout(_ text: String) throws(DaemonConfigurationError) -> Duration? {
        guard let seconds = Double(text), seconds.isFinite, seconds >= 0, seconds <= 86_400 else {
            throw DaemonConfigurationError(
                option: "--idle-timeout",
                value: text,
                reason: "expected seconds between 0 (never) and 86400"
            )
        }
        if seconds == 0 { return nil }
        return .milliseconds(Int64((seconds * 1000).rounded(.up)))
    }

    /// A swift-log level name, or a syslog priority 0–7 as systemd's `--log-level` accepts.
    package static func parseLogLevel(_ text: String) throws(DaemonConfigurationError) -> Logger.Level {
        if let number = Int(text), let level = Logger.Level(syslogPriority: number) { return level }
        let aliases: [String: Logger.Level] = ["warn": .warning, "err": .error, "crit": .critical, "emerg": .critical]
        if let level = Logger.Level(rawValue: text.lowercased()) ?? aliases[text.lowercased()] { return level }
        throw DaemonConfigurationError(
            option: "--log-level",
            value: text,
            reason: "expected trace, debug, info, notice, warning, error, critical or 0-7"
        )
    }

    private static func split(_ argument: String) -> (String, String?) {
        guard argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") else { return (argument, nil) }
        return (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
    }
}
