package import ArgumentParser
import Varlink

/// `varlink`: talk to any Varlink service from the command line (varlinkctl's verbs and options).
package struct VarlinkTool: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "varlink",
        abstract: "Introspect and call Varlink services.",
        discussion: """
            ADDRESS is one of:
              /run/foo/socket, ./socket   a socket path
              unix:/run/foo/socket        the same, spelled out
              @name, unix:@name           a Linux abstract socket
              exec:/usr/bin/server [ARG…] start the program with a connected
                                          socket as fd 3 (LISTEN_FDS=1) and
                                          talk to it
              ssh-exec:HOST:COMMAND       run COMMAND on HOST via ssh, talk
                                          over its stdio (SYSTEMD_SSH=ssh)
              ssh-unix:HOST:/PATH         a socket on HOST (ssh -W)

            Examples:
              varlink info /run/berth/io.berth.Portable
              varlink list-methods /run/foo io.example.Foo
              varlink introspect @example io.example.Foo.Ping
              varlink call /run/foo io.example.Foo.Ping '{"ping":"hi"}'
              echo '{"n":3}' | varlink call --more /run/foo io.example.Foo.Count -
              varlink call --collect /run/foo io.example.Foo.Count '{"n":3}'
              varlink call --graceful=io.example.Foo.NotFound /run/foo \\
                  io.example.Foo.Get '{"name":"x"}'
              varlink validate-idl interfaces/*.varlink

            Output is coloured and paged only on a terminal. NO_COLOR disables colour;
            SYSTEMD_PAGER or PAGER selects the pager ('cat' or empty: none).

            Exit status:
            \(ExitStatus.helpText)
            """,
        version: BerthVersion.current,
        subcommands: [
            InfoCommand.self,
            ListInterfacesCommand.self,
            ListMethodsCommand.self,
            IntrospectCommand.self,
            CallCommand.self,
            ValidateIDLCommand.self,
            ManualCommand.self,
        ]
    )

    package init() {}

    /// Runs the tool: argument errors exit with the parser's usage status, command failures print one
    /// line and exit with their `ExitStatus`.
    package static func runMain(arguments: [String]? = nil) async -> Never {
        do {
            var command = try parseCommand(
                reorderingLeadingOptions(arguments ?? Array(CommandLine.arguments.dropFirst()))
            )
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            ExitStatus.success.terminateProcess()
        } catch let error as ToolError {
            Terminal.reportError(error.message)
            error.status.terminateProcess()
        } catch let failure as RemoteFailure {
            Terminal.reportError("Method call failed: \(failure.summary)")
            failure.status.terminateProcess()
        } catch {
            // Help, --version, completion scripts and usage errors: the parser knows how to print them.
            exit(withError: error)
        }
    }

    /// The command `arguments` ask for. The verb's own type parses them first: parsing from the root
    /// costs 0.3–0.5 ms more CPU per process (ArgumentParser reflects over more of the tree), 10–16 % of
    /// a `varlink call` (Benchmarks/varlink-cli/run.sh). Only a plain success of that verb is taken: help,
    /// --version, completion requests and every error go through the root, which prints them as always.
    static func parseCommand(_ arguments: [String]) throws -> any ParsableCommand {
        if let verb = arguments.first,
            let subcommand = configuration.subcommands.first(where: { $0._commandName == verb }),
            let command = try? subcommand.parseAsRoot(Array(arguments.dropFirst())),
            type(of: command) == subcommand
        {
            return command
        }
        return try parseAsRoot(arguments)
    }

    /// Options the root itself handles; everything else before the verb belongs to the verb.
    private static let rootOptions: Set<String> = ["-h", "--help", "--version", "--generate-completion-script"]
    /// Verb options that take their value as the next argument when written without `=`.
    private static let optionsWithValues: Set<String> = ["--json", "--timeout", "--graceful"]

    /// Moves options written before the verb (`varlink --no-pager info …`, as varlinkctl allows)
    /// behind it, where ArgumentParser looks for them.
    static func reorderingLeadingOptions(_ arguments: [String]) -> [String] {
        var leading: [String] = []
        var index = arguments.startIndex
        while index < arguments.endIndex, arguments[index].hasPrefix("-"), arguments[index] != "-" {
            let option = arguments[index]
            if rootOptions.contains(option) || option.hasPrefix("--generate-completion-script=")
                || option.hasPrefix("--experimental")
            {
                return arguments
            }
            leading.append(option)
            if optionsWithValues.contains(option), index + 1 < arguments.endIndex {
                index += 1
                leading.append(arguments[index])
            }
            index += 1
        }
        guard !leading.isEmpty, index < arguments.endIndex else { return arguments }
        return [arguments[index]] + leading + arguments[(index + 1)...]
    }
}
