package import ArgumentParser
import Varlink

#if canImport(Glibc)
import Glibc
#endif

/// `berthctl`: attach, detach and inspect portable services, compatible with portablectl.
package struct Berthctl: AsyncParsableCommand {
    package static let defaultAddress = "/run/berth/io.berth.Portable"

    package static let configuration = CommandConfiguration(
        commandName: "berthctl",
        abstract: "Attach or detach portable services from the local system.",
        discussion: """
            A portablectl-compatible client of berthd (io.berth.Portable over Varlink). With --root=DIR \
            everything happens in process on the offline tree DIR, without berthd or systemd.

            Examples:
              berthctl list
              berthctl attach --now /var/lib/portables/foo_1.raw
              berthctl --root=/srv/tree attach foo
              berthctl is-attached -q foo && echo attached
            """,
        version: BerthVersion.current,
        subcommands: [
            List.self, Attach.self, Detach.self, Reattach.self, Inspect.self, IsAttached.self, ReadOnly.self,
            Remove.self, SetLimit.self, Profiles.self, Watch.self,
        ],
        defaultSubcommand: List.self
    )

    package init() {}

    /// Parses `arguments` (without the program name), runs the verb, and returns the exit status.
    /// Errors print one clear message on stderr and give 1, like portablectl's.
    package static func run(arguments: [String]) async -> Int32 {
        do {
            switch try CommandLineParser.parse(arguments) {
            case .run(let parsed):
                try await parsed.run()
            case .version:
                Terminal.out(configuration.version + "\n")
            case .argumentParser:
                return await runArgumentParser(arguments)
            }
            return 0
        } catch let exit as SilentExit {
            return exit.code
        } catch let error as CLIError {
            Terminal.err(error.description + "\n")
            return error.exitCode
        } catch {
            Terminal.err("\(error)\n")
            return 1
        }
    }

    /// Help and completion scripts, which ArgumentParser prints from the command tree.
    private static func runArgumentParser(_ arguments: [String]) async -> Int32 {
        do {
            var command = try parseAsRoot(ArgumentHoisting.reorder(arguments, verbs: verbNames))
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            return 0
        } catch {
            let code = exitCode(for: error).rawValue
            let text = fullMessage(for: error)
            if code == 0 {
                if !text.isEmpty { Terminal.out(text + "\n") }
                return 0
            }
            if !text.isEmpty { Terminal.err(text + "\n") }
            return 1
        }
    }

    /// What ArgumentParser makes of `arguments`: nil for help. The reference `CommandLineParser` is
    /// held to, so that help describes what is parsed.
    package static func parsedByArgumentParser(_ arguments: [String]) throws -> ParsedCommandLine? {
        let command = try parseAsRoot(ArgumentHoisting.reorder(arguments, verbs: verbNames))
        return (command as? any SettingsCommand)?.parsedCommandLine
    }

    /// The words `ArgumentHoisting` treats as verbs. Spelled out because deriving them from
    /// `configuration.subcommands` reflects over every command type, which cost 2.4 ms of each
    /// berthctl start; a test checks the two agree.
    package static let verbNames: Set<String> = [
        "help", "list", "attach", "detach", "reattach", "inspect", "is-attached", "read-only", "remove",
        "set-limit", "profiles", "watch",
    ]

    /// The verbs as ArgumentParser derives them from the subcommands (what `verbNames` must equal).
    package static var derivedVerbNames: Set<String> {
        var names: Set<String> = ["help"]
        for subcommand in configuration.subcommands {
            names.insert(subcommand._commandName)
            for alias in subcommand.configuration.aliases { names.insert(alias) }
        }
        return names
    }
}
