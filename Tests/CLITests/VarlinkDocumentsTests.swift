import Foundation
import TestSupport
import Testing

/// What varlink prints about itself, all from its one command-line table (CommandLineTool): help, the
/// bash, zsh and fish completion scripts (loaded by the real shells) and the man page (formatted by groff).
@Suite("varlink help, completions and man page")
struct VarlinkDocumentsTests {
    private func output(_ arguments: [String]) throws -> String {
        let result = try VarlinkCLIHarness.run(arguments)
        #expect(result.status == 0 && result.standardError.isEmpty, "\(arguments): \(result)")
        return result.standardOutput
    }

    @Test func helpKeepsItsLayout() throws {
        let help = try output(["--help"])
        #expect(help.hasPrefix("OVERVIEW: Introspect and call Varlink services.\n"), "\(help)")
        #expect(help.contains("\n  list-methods            List the methods of one, several or all interfaces of"))
        #expect(help.contains("\n  64  invalid command line\n"), "\(help)")
        #expect(help.contains("  See 'varlink help <subcommand>' for detailed help."))
        for line in help.split(separator: "\n") { #expect(line.count <= 80, "\(line)") }
    }

    @Test func verbHelpShowsItsArgumentsAndOnlyItsOptions() throws {
        let call = try output(["call", "--help"])
        #expect(call == (try output(["help", "call"])))
        #expect(call.contains("USAGE: varlink call [<options>] <address> <method> [<parameters>]\n"), "\(call)")
        #expect(call.contains("\n  -E                      Same as --more --timeout=infinity.\n"), "\(call)")
        #expect(call.contains("\n  --graceful <ERROR>      Treat this Varlink error as success"), "\(call)")
        #expect(call.contains("\n  --timeout <SECS|infinity>\n"), "\(call)")
        #expect(call.contains("\n  --json <short|pretty>   JSON output: 'short' (one line) or 'pretty'\n"), "\(call)")
        let validate = try output(["validate-idl", "-h"])
        #expect(!validate.contains("--timeout") && validate.contains("--no-pager"), "\(validate)")
        let misplaced = try VarlinkCLIHarness.run(["validate-idl", "--more", "x.varlink"])
        #expect(misplaced.status == 64, "\(misplaced)")
        #expect(misplaced.standardError.hasPrefix("Error: Unknown option '--more'\nUsage: varlink validate-idl"))
        let unknown = try VarlinkCLIHarness.run(["--frobnicate"])
        #expect(unknown.status == 64 && unknown.standardError.contains("unrecognized option '--frobnicate'"))
    }

    @Test("options before the verb and abbreviations work as with varlinkctl's getopt")
    func getoptRules() throws {
        let path = try CompletionScriptHarness.scratchFile(
            "interface org.example.a\nmethod Ping() -> ()\n",
            name: "a.varlink"
        )
        let quiet = try VarlinkCLIHarness.run(["--qui", "validate-idl", path])
        #expect(quiet.status == 0 && quiet.standardOutput.isEmpty, "\(quiet)")
        let printed = try VarlinkCLIHarness.run(["--no-pager", "validate-idl", "--", path])
        #expect(printed.status == 0 && printed.standardOutput.contains("method Ping"), "\(printed)")
        let ambiguous = try VarlinkCLIHarness.run(["call", "--no", "/nonexistent", "a.b.C"])
        #expect(ambiguous.status == 64 && ambiguous.standardError.contains("is ambiguous"), "\(ambiguous)")
        let shortOnly = try VarlinkCLIHarness.run(["call", "--more-forever", "/nonexistent", "a.b.C"])
        #expect(shortOnly.status == 64 && shortOnly.standardError.contains("unrecognized option"), "\(shortOnly)")
    }

    @Test("bash: the script defines the completion; verbs, options and values complete")
    func bashCompletes() throws {
        guard let bash = CompletionScriptHarness.shell("bash") else { return }
        let script = try CompletionScriptHarness.scratchFile(
            try output(["--generate-completion-script", "bash"]),
            name: "varlink"
        )
        let cases: [(words: String, expected: String)] = [
            ("varlink list-i", "list-interfaces"),
            ("varlink call --grac", "--graceful"),
            ("varlink call --json = ", "short pretty"),
            (
                "varlink call -",
                "--more -E --collect --oneway --graceful --no-validate --json -j --no-pager --quiet -q "
                    + "--timeout --version --help -h"
            ),
            ("varlink validate-idl --t", ""),
        ]
        let result = try CompletionScriptHarness.bashCompletions(
            bash: bash,
            script: script,
            tool: "varlink",
            words: cases.map(\.words)
        )
        #expect(result.status == 0 && result.stderr.isEmpty, "\(result)")
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first == "complete -F _varlink varlink", "\(result)")
        for (index, (words, expected)) in cases.enumerated() {
            #expect(lines.count > index + 1 && lines[index + 1] == expected, "\(words): \(result)")
        }
    }

    @Test("zsh: the script parses; short-only options have no long spelling")
    func zshLoads() throws {
        guard let zsh = CompletionScriptHarness.shell("zsh") else { return }
        let text = try output(["--generate-completion-script", "zsh"])
        let script = try CompletionScriptHarness.scratchFile(text, name: "_varlink")
        #expect(try CLIRunner.run(zsh, ["-n", script]).status == 0)
        #expect(text.hasPrefix("#compdef varlink\n"))
        #expect(text.contains("'*-E[Same as --more --timeout=infinity.]'") && !text.contains("--more-forever"))
    }

    @Test("fish: the script loads and offers verbs and option values")
    func fishCompletes() throws {
        guard let fish = CompletionScriptHarness.shell("fish") else { return }
        let script = try CompletionScriptHarness.scratchFile(
            try output(["--generate-completion-script", "fish"]),
            name: "varlink.fish"
        )
        let result = try CLIRunner.run(
            fish,
            ["--no-config", "-c", "source \(script); complete -C 'varlink intro'; complete -C 'varlink call --json='"]
        )
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("introspect\tShow interface definitions"), "\(result)")
        #expect(result.stdout.contains("--json=pretty"), "\(result)")
    }

    @Test("the man page formats without warnings and names every verb and option")
    func manualFormats() throws {
        let page = try output(["--generate-manual"])
        #expect(page == (try output(["generate-manual"])))
        #expect(page.contains(".TH VARLINK 1 "))
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/groff") else {
            print("skipped: groff is not installed, so varlink.1 is not formatted")
            return
        }
        let file = try CompletionScriptHarness.scratchFile(page, name: "varlink.1")
        let result = try CLIRunner.run("/usr/bin/groff", ["-man", "-Tascii", "-ww", "-P", "-cbou", file])
        #expect(result.status == 0 && result.stderr.isEmpty, "\(result)")
        for word in [
            "NAME", "SYNOPSIS", "COMMANDS", "OPTIONS", "list-interfaces", "validate-idl", "--graceful=ERROR", "-E",
            "-q, --quiet", "call ADDRESS METHOD [PARAMETERS]", "Exit status:",
        ] {
            #expect(result.stdout.contains(word), "\(word) missing:\n\(result.stdout)")
        }
    }
}
