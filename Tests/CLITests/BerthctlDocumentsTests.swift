import BerthCLI
import Foundation
import TestSupport
import Testing

/// What berthctl prints about itself, all from its one command-line table: help, the bash, zsh and fish
/// completion scripts (loaded by the real shells) and the man page (formatted by groff).
@Suite("berthctl help, completions and man page")
struct BerthctlDocumentsTests {
    let berthctl: String

    init() throws {
        berthctl = try CLIRunner.executable("berthctl")
    }

    private func output(_ arguments: [String]) throws -> String {
        let result = try CLIRunner.run(berthctl, arguments)
        #expect(result.status == 0 && result.stderr.isEmpty, "\(arguments): \(result)")
        return result.stdout
    }

    @Test func helpKeepsItsLayout() throws {
        let help = try output(["--help"])
        #expect(help.hasPrefix("OVERVIEW: Attach or detach portable services from the local system.\n"))
        #expect(help.contains("\n  list (default)          List available portable service images.\n"), "\(help)")
        #expect(help.contains("\n  --root <DIR>            Operate on the offline tree DIR in process, without\n"))
        #expect(help.contains("  See 'berthctl help <subcommand>' for detailed help."))
        for line in help.split(separator: "\n") { #expect(line.count <= 80, "\(line)") }
    }

    @Test func verbHelpShowsItsArgumentsAndOnlyItsOptions() throws {
        let attach = try output(["attach", "--help"])
        #expect(attach == (try output(["help", "attach"])))
        #expect(attach.contains("USAGE: berthctl attach [<options>] <image> [<prefix> ...]\n"), "\(attach)")
        #expect(attach.contains("\n  <image>                 Image name or path.\n"), "\(attach)")
        #expect(attach.contains("\n  -p, --profile <PROFILE> Security profile for the units"), "\(attach)")
        #expect(attach.contains("\n  -H, --host <[USER@]HOST>\n                          Talk to berthd"), "\(attach)")
        #expect(attach.contains("(values: auto, copy, symlink, mixed; default: auto)"), "\(attach)")
        #expect(attach.contains("  berthctl attach --profile=trusted --copy=copy /srv/foo\n"), "\(attach)")
        let list = try output(["list", "-h"])
        #expect(!list.contains("--copy") && !list.contains("<image>") && list.contains("--no-legend"), "\(list)")
        for line in [["help", "frobnicate"], ["frobnicate", "--help"]] {
            let unknown = try CLIRunner.run(berthctl, line)
            #expect(unknown.status == 1 && unknown.stderr.hasPrefix("Unknown command verb 'frobnicate'."), "\(unknown)")
        }
    }

    @Test("bash: the script defines the completion; verbs, options and values complete")
    func bashCompletes() throws {
        guard let bash = CompletionScriptHarness.shell("bash") else { return }
        let script = try CompletionScriptHarness.scratchFile(
            try output(["--generate-completion-script", "bash"]),
            name: "berthctl"
        )
        // COMP_WORDS as bash splits them (at '=' too).
        let cases: [(words: String, expected: String)] = [
            ("berthctl att", "attach"),
            ("berthctl is", "is-attached"),
            ("berthctl attach --pro", "--profile"),
            ("berthctl attach --copy sy", "symlink"),
            ("berthctl attach --copy = ", "auto copy symlink mixed"),
            ("berthctl --json p", "pretty"),
            ("berthctl -p str", "strict"),
            ("berthctl --root = /srv read-only foo ", "yes no"),
            ("berthctl list --co", ""),
        ]
        let result = try CompletionScriptHarness.bashCompletions(
            bash: bash,
            script: script,
            tool: "berthctl",
            words: cases.map(\.words)
        )
        #expect(result.status == 0 && result.stderr.isEmpty, "\(result)")
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first == "complete -F _berthctl berthctl", "\(result)")
        for (index, (words, expected)) in cases.enumerated() {
            #expect(lines.count > index + 1 && lines[index + 1] == expected, "\(words): \(result)")
        }
    }

    @Test("zsh: the script parses and defines its function")
    func zshLoads() throws {
        guard let zsh = CompletionScriptHarness.shell("zsh") else { return }
        let script = try CompletionScriptHarness.scratchFile(
            try output(["--generate-completion-script", "zsh"]),
            name: "_berthctl"
        )
        #expect(try CLIRunner.run(zsh, ["-n", script]).status == 0)
        let result = try CLIRunner.run(
            zsh,
            ["-f", "-c", "_berthctl() {}; source \(script) 2>/dev/null; functions _berthctl_output | head -1"]
        )
        #expect(result.stdout.hasPrefix("_berthctl_output"), "\(result)")
        let text = try String(contentsOfFile: script, encoding: .utf8)
        #expect(text.hasPrefix("#compdef berthctl\n"))
        #expect(
            text.contains(
                "'*--copy=[How to put files in place ('\\''help'\\'' lists the modes).]:MODE:(auto copy symlink mixed)'"
            )
        )
    }

    @Test("fish: the script loads and offers verbs, options and values")
    func fishCompletes() throws {
        guard let fish = CompletionScriptHarness.shell("fish") else { return }
        let script = try CompletionScriptHarness.scratchFile(
            try output(["--generate-completion-script", "fish"]),
            name: "berthctl.fish"
        )
        #expect(try CLIRunner.run(fish, ["--no-execute", script]).status == 0)
        // The image names come from berthctl itself: the one built here.
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = CLIRunner.buildDirectory + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        let result = try CLIRunner.run(
            fish,
            [
                "--no-config", "-c",
                "source \(script); complete -C 'berthctl is-'; complete -C 'berthctl attach --copy='",
            ],
            environment: environment
        )
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("is-attached\tQuery if the portable service image is attached."), "\(result)")
        #expect(result.stdout.contains("--copy=symlink"), "\(result)")
    }

    @Test("the man page formats without warnings and names every verb and option")
    func manualFormats() throws {
        let page = try output(["--generate-manual"])
        #expect(page.contains(".TH BERTHCTL 1 "))
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/groff") else {
            print("skipped: groff is not installed, so berthctl.1 is not formatted")
            return
        }
        let file = try CompletionScriptHarness.scratchFile(page, name: "berthctl.1")
        let result = try CLIRunner.run("/usr/bin/groff", ["-man", "-Tascii", "-ww", "-P", "-cbou", file])
        #expect(result.status == 0 && result.stderr.isEmpty, "\(result)")
        for word in [
            "NAME", "SYNOPSIS", "COMMANDS", "OPTIONS", "is-attached", "set-limit", "--key-file=PATH",
            "-p, --profile=PROFILE",
        ] {
            #expect(result.stdout.contains(word), "\(word) missing:\n\(result.stdout)")
        }
        #expect(result.stdout.contains("berthctl attach --profile=trusted --copy=copy /srv/foo"), "\(result.stdout)")
    }
}
