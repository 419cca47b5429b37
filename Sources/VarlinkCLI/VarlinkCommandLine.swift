package import CommandLineTool

/// varlink's command line as one table: varlinkctl's options and the verbs with their texts.
/// `VarlinkCommandLineParser` parses with it; help, the completion scripts and the man page are printed
/// from it.
package enum VarlinkCommandLine {
    /// The options, in getopt's order (`Option.rawValue` is the index getopt reports).
    enum Option: Int, CaseIterable {
        case more, moreForever, collect, oneway, graceful, noValidate
        case json, jsonAuto, noPager, quiet, timeout
        case version, help

        var spec: CommandLineOption {
            switch self {
            case .more:
                CommandLineOption("more", help: "Ask for a stream of replies ('more' flag); print each as it arrives.")
            case .moreForever:
                CommandLineOption(
                    "more-forever",
                    short: "E",
                    help: "Same as --more --timeout=infinity.",
                    spellsLong: false
                )
            case .collect:
                CommandLineOption(
                    "collect",
                    help: "Ask for a stream of replies and print them together as one JSON array."
                )
            case .oneway:
                CommandLineOption(
                    "oneway",
                    help: "Send the call with the 'oneway' flag: no reply is expected or printed."
                )
            case .graceful:
                CommandLineOption("graceful", value: "ERROR", help: "Treat this Varlink error as success (repeatable).")
            case .noValidate:
                CommandLineOption(
                    "no-validate",
                    help: "Do not check the parameters against the interface before sending."
                )
            case .json:
                CommandLineOption(
                    "json",
                    value: "short|pretty",
                    help: "JSON output: 'short' (one line) or 'pretty' (indented). Default: pretty on a terminal, "
                        + "short otherwise. Commands that print tables or IDL print the raw JSON replies instead "
                        + "when this is given.",
                    completion: .words(["short", "pretty"])
                )
            case .jsonAuto:
                CommandLineOption(
                    "json-auto",
                    short: "j",
                    help: "Same as --json=pretty on a terminal, --json=short otherwise.",
                    spellsLong: false
                )
            case .noPager: CommandLineOption("no-pager", help: "Do not pipe output into a pager.")
            case .quiet:
                CommandLineOption(
                    "quiet",
                    short: "q",
                    help: "Print no reply data (call) and no informational messages; errors are still reported."
                )
            case .timeout:
                CommandLineOption(
                    "timeout",
                    value: "SECS|infinity",
                    help: "Give up waiting for a reply after SECS seconds, or never with 'infinity'.",
                    default: "45s",
                    completion: .words(["infinity"])
                )
            case .version: CommandLineOption("version", help: "Show the version.")
            case .help: CommandLineOption("help", short: "h", help: "Show help information.")
            }
        }
    }

    package static let tool = ToolDescription(
        program: "varlink",
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
        options: Option.allCases.map(\.spec),
        globalOptions: [],
        trailingOptions: ["version", "help"],
        verbs: verbs,
        manualSource: "Berth"
    )

    static let address = CommandLineVerb.Argument("address", help: "The service address (see 'varlink --help').")
    static let output = ["json", "json-auto", "no-pager", "quiet"]
    static let query = output + ["timeout"]
    static let call = ["more", "more-forever", "collect", "oneway", "graceful", "no-validate"] + query
}
