public import ArgumentParser

/// `varlink`: talk to any Varlink service from the command line (varlinkctl's verbs and options).
public struct VarlinkTool: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "varlink",
        abstract: "Introspect and call Varlink services.",
        discussion: """
            ADDRESS is one of:
              /run/foo/io.example.Foo     a socket path (also ./relative/path)
              unix:/run/foo/socket        the same, spelled out (';mode=…' suffixes are ignored)
              @name, unix:@name           a Linux abstract socket
              exec:/usr/bin/server [ARG…] start the program with a connected socket on fd 3
                                          (LISTEN_FDS=1, LISTEN_FDNAMES=varlink) and talk to it

            Examples:
              varlink info /run/systemd/io.systemd.Manager
              varlink list-methods unix:/run/berth/io.berth.Portable io.berth.Portable
              varlink introspect @example org.example.ping.Ping
              varlink call /run/foo org.example.Ping '{"ping": "hello"}'
              echo '{"n": 3}' | varlink call --more --json=short /run/foo org.example.Count -
              varlink call --collect /run/foo org.example.Count '{"n": 3}'
              varlink call --graceful=org.example.NotFound /run/foo org.example.Lookup '{"name":"x"}'
              varlink validate-idl interfaces/*.varlink

            Environment: NO_COLOR disables colour; SYSTEMD_PAGER or PAGER selects the pager ('cat' or empty \
            disables it); output is coloured and paged only on a terminal.

            Exit status:
            \(ExitStatus.helpText)
            """,
        version: "0.1.0",
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

    public init() {}

    /// Runs the tool: argument errors exit with the parser's usage status, command failures print one
    /// line and exit with their `ExitStatus`.
    public static func runMain(arguments: [String]? = nil) async -> Never {
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            exitProcess(.success)
        } catch let error as ToolError {
            Terminal.reportError(error.message)
            exitProcess(error.status)
        } catch {
            // Help, --version, completion scripts and usage errors: the parser knows how to print them.
            exit(withError: error)
        }
    }
}
