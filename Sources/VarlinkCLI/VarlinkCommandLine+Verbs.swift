import CommandLineTool

extension VarlinkCommandLine {
    /// The verbs in help's order, with the options each takes besides `--version` and `--help`.
    static let verbs: [CommandLineVerb] = [
        CommandLineVerb(
            "info",
            abstract: "Show the service's vendor, product, version, URL and interfaces.",
            discussion: """
                Calls org.varlink.service.GetInfo. With --json the reply is printed as JSON.

                Example:
                  varlink info unix:/run/berth/io.berth.Portable
                """,
            arguments: [address],
            options: query
        ),
        CommandLineVerb(
            "list-interfaces",
            abstract: "List the interfaces the service implements.",
            discussion: """
                One name per line, in the service's order. With --json: a JSON array of names.

                Example:
                  varlink list-interfaces /run/systemd/io.systemd.Manager
                """,
            arguments: [address],
            options: query
        ),
        CommandLineVerb(
            "list-methods",
            abstract: "List the methods of one, several or all interfaces of a service.",
            discussion: """
                Prints INTERFACE.Method per line (JSON array with --json). Without INTERFACE, every interface \
                the service implements is listed. Interfaces whose description cannot be parsed are reported \
                and skipped.

                Example:
                  varlink list-methods /run/berth/io.berth.Portable io.berth.Portable
                """,
            arguments: [
                address,
                CommandLineVerb.Argument(
                    "interfaces",
                    help: "Interfaces to list (default: all).",
                    optional: true,
                    repeats: true
                ),
            ],
            options: query
        ),
        CommandLineVerb(
            "introspect",
            abstract: "Show interface definitions, or one method, type or error of an interface.",
            discussion: """
                NAME is an interface (io.example.Foo) or one of its members (io.example.Foo.Bar). Without NAME, \
                every interface of the service is shown. The text is re-rendered from the parsed definition (and \
                coloured on a terminal); when it cannot be parsed, the service's text is shown as is, with a \
                warning. With --json the raw GetInterfaceDescription replies are printed.

                Examples:
                  varlink introspect /run/foo io.example.Foo
                  varlink introspect /run/foo org.varlink.service.GetInfo
                """,
            arguments: [
                address,
                CommandLineVerb.Argument(
                    "names",
                    help: "Interfaces or INTERFACE.Member names (default: all interfaces).",
                    optional: true,
                    repeats: true
                ),
            ],
            options: query
        ),
        CommandLineVerb(
            "call",
            abstract: "Call a method and print its reply.",
            discussion: """
                PARAMETERS is a JSON object. When it is '-', or omitted while standard input is not a terminal, \
                it is read from standard input; empty input means {}. Before sending, the parameters are \
                checked against the interface the service describes \
                (org.varlink.service.GetInterfaceDescription); --no-validate skips that.

                A Varlink error reply prints 'Method call … failed: ERROR' on standard error and the error's \
                parameters as JSON on standard output; the exit status tells the class of failure (see \
                'varlink --help'). --graceful=ERROR makes that error a success (exit 0).

                Examples:
                  varlink call /run/foo org.example.Ping '{"ping":"hi"}'
                  varlink call --more --json=short /run/foo org.example.Monitor '{}'
                  varlink call --collect /run/foo org.example.List
                  varlink call --oneway /run/foo org.example.Log '{"message":"x"}'
                  varlink call --graceful=org.example.NotFound /run/foo \\
                      org.example.Get '{"id":1}'
                """,
            arguments: [
                CommandLineVerb.Argument("address", help: "The service address."),
                CommandLineVerb.Argument(
                    "method",
                    help: "The fully qualified method name, e.g. org.varlink.service.GetInfo."
                ),
                CommandLineVerb.Argument(
                    "parameters",
                    help: "Parameters as a JSON object, or '-' to read them from standard input.",
                    optional: true
                ),
            ],
            options: call
        ),
        CommandLineVerb(
            "validate-idl",
            abstract: "Check interface definition files for syntax and consistency errors.",
            discussion: """
                Reads each FILE (standard input when none is given or FILE is '-'), reports every problem as \
                FILE:LINE:COLUMN: error: MESSAGE on standard error, and exits 1 if any file is invalid (66 if a \
                file cannot be read). A single valid input is printed in canonical form unless --quiet is given.

                Examples:
                  varlink validate-idl interfaces/io.berth.Portable.varlink
                  varlinkctl introspect /run/foo io.example.Foo | varlink validate-idl
                """,
            arguments: [
                CommandLineVerb.Argument(
                    "files",
                    help: "Interface definition files, or '-' for standard input.",
                    optional: true,
                    repeats: true,
                    completion: .files
                )
            ],
            options: ["quiet", "no-pager"]
        ),
    ]
}
