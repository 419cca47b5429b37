import CommandLineTool
import Testing
import VarlinkCLI

/// varlink's parser in process: what a command line asks for, and the words of what it refuses.
@Suite("varlink command-line parser")
struct VarlinkCommandLineParserTests {
    /// The verb and its arguments a line runs, or a description of what else it asks for.
    private func outcome(_ arguments: [String]) -> String {
        do {
            switch try VarlinkCommandLineParser.parse(arguments) {
            case .run(let verb, let settings): return ([verb] + settings.operands).joined(separator: " ")
            case .help(let verb): return "help " + (verb ?? "-")
            case .document(let document): return "document \(document)"
            case .version: return "version"
            }
        } catch {
            return "error \(error.verb ?? "-"): \(error.message)"
        }
    }

    @Test(
        "options anywhere, abbreviated or bundled; -- ends them",
        arguments: [
            (["--no-pager", "info", "/run/x"], "info /run/x"),
            (["call", "/run/x", "a.b.C", "--json", "short", "{}"], "call /run/x a.b.C {}"),
            (["call", "-qj", "--timeo=infinity", "/run/x", "a.b.C"], "call /run/x a.b.C"),
            (["-E", "call", "@abstract", "a.b.C", "-"], "call @abstract a.b.C -"),
            (["validate-idl", "--", "-q"], "validate-idl -q"),
            (["list-methods", "/run/x", "a.b", "c.d"], "list-methods /run/x a.b c.d"),
        ]
    )
    func runs(arguments: [String], expected: String) {
        #expect(outcome(arguments) == expected, "\(arguments)")
    }

    @Test(
        "help, version and documents answer before anything is checked",
        arguments: [
            (["call", "-qh", "x"], "help call"),
            (["--help", "introspect"], "help introspect"),
            (["help", "call"], "help call"),
            ([], "help -"),
            (["call", "--version"], "version"),
            (["--generate-manual"], "document manual"),
            (["generate-manual"], "document manual"),
            (["--generate-completion-script=fish"], "document completion(CommandLineTool.ToolDocument.Shell.fish)"),
        ]
    )
    func answers(arguments: [String], expected: String) {
        #expect(outcome(arguments) == expected, "\(arguments)")
    }

    @Test(
        "refusals: the words printed and the verb whose usage follows them",
        arguments: [
            (["call", "/run/x"], "error call: Missing expected argument '<method>'"),
            (["info", "/run/x", "extra"], "error info: Unexpected argument 'extra'"),
            (["info", "--graceful=a.b.C", "/run/x"], "error info: Unknown option '--graceful'"),
            (["validate-idl", "-j"], "error validate-idl: Unknown option '-j'"),
            (
                ["call", "--more", "--collect", "x", "a.b.C"],
                "error call: Only one of --more/-E, --collect and --oneway may be given."
            ),
            (
                ["call", "--timeout=-1", "x", "a.b.C"],
                "error call: The value '-1' is invalid for '--timeout <SECS|infinity>'"
            ),
            (
                ["call", "--json=long", "x", "a.b.C"],
                "error call: The value 'long' is invalid for '--json <short|pretty>'. Please provide one of 'short' and 'pretty'."
            ),
            (["frobnicate"], "error -: Unknown command verb 'frobnicate'."),
            (["--more-forever", "call"], "error call: varlink: unrecognized option '--more-forever'"),
            (
                ["--no", "info", "x"],
                "error info: varlink: option '--no' is ambiguous; possibilities: '--no-validate' '--no-pager'"
            ),
        ]
    )
    func refuses(arguments: [String], expected: String) {
        #expect(outcome(arguments) == expected, "\(arguments)")
    }

    @Test("the table's verbs are varlinkctl's and validate-idl, each with its own options")
    func verbs() {
        let tool = VarlinkCommandLine.tool
        #expect(
            tool.verbs.map(\.name) == ["info", "list-interfaces", "list-methods", "introspect", "call", "validate-idl"]
        )
        for verb in tool.verbs {
            for name in verb.options { #expect(tool.option(name) != nil, "\(verb.name): \(name)") }
        }
        #expect(tool.option("more-forever")?.spellings == ["-E"])
        #expect(tool.option("json-auto")?.spellings == ["-j"])
    }
}
