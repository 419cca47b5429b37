import BerthCLI
import CommandLineTool
import TestSupport
import Testing

/// `CommandLineParser`, berthctl's one parser, reads command lines as portablectl's getopt and verb table
/// do (any option with any verb, abbreviations, bundled short options); help, completion scripts and
/// the man page come from the same table (`CommandLineToolTests`).
@Suite("berthctl command-line parser")
struct CommandLineParserTests {
    /// Lines scripts and the benchmark use.
    static let common: [[String]] = [
        [],
        ["list"],
        ["--no-legend", "list"],
        ["list", "--json=short"],
        ["--root=/srv/tree", "list"],
        ["--root", "/srv/tree", "--json", "pretty"],
        ["attach", "--runtime", "--no-reload", "/srv/share/images/foo"],
        ["attach", "--now", "--enable", "-p", "trusted", "--copy=symlink", "foo", "foo-extra"],
        ["--root=/", "attach", "--profile=strict", "--extension=/srv/e1", "--extension", "/srv/e2", "/srv/base"],
        ["attach", "--key-file", "-", "foo.raw"],
        ["reattach", "--now", "foo_2"],
        ["detach", "--runtime", "--no-reload", "/srv/share/images/foo"],
        ["detach", "--now", "--no-block", "foo", "foo-extra"],
        ["inspect", "foo"],
        ["inspect", "--cat", "/var/lib/portables/foo_1.raw", "foo.service"],
        ["inspect", "--extension=/srv/ext1", "/srv/base", "-"],
        ["is-attached", "-q", "foo"],
        ["--quiet", "is-attached", "--force", "/var/lib/portables/foo_1.raw"],
        ["--address=/run/other.sock", "--no-pager", "--no-ask-password", "list"],
    ]

    @Test(arguments: common)
    func commonLinesRunAVerb(arguments: [String]) throws {
        guard case .run = try CommandLineParser.parse(arguments) else {
            Issue.record("\(arguments) did not parse to a verb")
            return
        }
    }

    @Test("a line in full: every option lands where the verb reads it")
    func attachLineInFull() throws {
        var settings = AttachSettings(
            selection: ImageSelection(image: "/srv/base", extensions: ["/srv/e1", "/srv/e2"])
        )
        settings.profile = "strict"
        settings.copy = "symlink"
        settings.flags.now = true
        settings.flags.enable = true
        settings.keyFile = "-"
        var global = GlobalSettings()
        global.root = "/"
        global.json = .pretty
        global.quiet = true
        let line = [
            "--root=/", "attach", "--profile=strict", "--extension=/srv/e1", "--extension", "/srv/e2", "-q",
            "--copy", "symlink", "--now", "--enable", "--key-file", "-", "--json=pretty", "/srv/base",
        ]
        #expect(try CommandLineParser.parse(line) == .run(ParsedCommandLine(global: global, verb: .attach(settings))))
        let inspect = ParsedCommandLine.Verb.inspect(
            ImageSelection(image: "/var/lib/portables/foo_1.raw", prefixes: ["foo.service"]),
            keyFile: nil,
            cat: true
        )
        #expect(
            try CommandLineParser.parse(["inspect", "--cat", "/var/lib/portables/foo_1.raw", "foo.service"])
                == .run(ParsedCommandLine(global: GlobalSettings(), verb: inspect))
        )
        // The last of --user and --system wins.
        func globalOf(_ line: [String]) throws -> GlobalSettings? {
            guard case .run(let parsed) = try CommandLineParser.parse(line) else { return nil }
            return parsed.global
        }
        let user = try globalOf(["--system", "--user", "--address", "@abstract", "watch", "foo"])
        #expect(user?.address == "@abstract")
        #expect(user?.scope == (try globalOf(["--user"]))?.scope)
        #expect(user?.scope != (try globalOf(["--user", "--system"]))?.scope)
    }

    @Test(
        arguments: [
            (["--help"], nil), (["-h"], nil), (["attach", "--help"], "attach"), (["help", "attach"], "attach"),
            (["list", "-h"], "list"), (["--help", "is-attached", "--bogus"], "is-attached"), (["help"], nil),
            (["frobnicate", "--help"], "frobnicate"), (["--root", "/r", "attach", "-h"], "attach"),
        ] as [([String], String?)]
    )
    func helpIsAnsweredAtOnce(arguments: [String], verb: String?) throws {
        #expect(try CommandLineParser.parse(arguments) == .help(verb: verb), "\(arguments)")
    }

    @Test(
        arguments: [
            (["--generate-completion-script", "bash"], ToolDocument.completion(.bash)),
            (["--generate-completion-script=zsh"], .completion(.zsh)),
            (["list", "--generate-completion-script", "fish"], .completion(.fish)), (["--generate-manual"], .manual),
        ] as [([String], ToolDocument)]
    )
    func documentsAreAskedForByName(arguments: [String], document: ToolDocument) throws {
        #expect(try CommandLineParser.parse(arguments) == .document(document), "\(arguments)")
    }

    @Test("the document options are not getopt's: they do not make an abbreviation valid or ambiguous")
    func documentOptionsStayOutOfGetopt() throws {
        #expect(throws: CLIError.self) { try CommandLineParser.parse(["--gen"]) }
        do {
            _ = try CommandLineParser.parse(["--gen"])
        } catch {
            #expect(error.message == "berthctl: unrecognized option '--gen'")
        }
        do {
            _ = try CommandLineParser.parse(["--generate-completion-script", "tcsh"])
            Issue.record("tcsh was accepted")
        } catch {
            #expect(error.message == "Unknown shell 'tcsh' for --generate-completion-script.")
        }
    }

    @Test("getopt's permutation: options anywhere, with any verb, abbreviated, bundled; -- ends them")
    func getoptRules() throws {
        var list = ParsedCommandLine(global: GlobalSettings(), verb: .list)
        #expect(try CommandLineParser.parse(["list", "--runtime", "--cat"]) == .run(list))
        list.global.quiet = true
        list.global.noLegend = true
        #expect(try CommandLineParser.parse(["--no-le", "list", "-q"]) == .run(list))
        var settings = AttachSettings(selection: ImageSelection(image: "-x", prefixes: ["--now"]))
        settings.profile = "strict"
        settings.flags.runtime = true
        let attach = ParsedCommandLine(global: GlobalSettings(), verb: .attach(settings))
        #expect(try CommandLineParser.parse(["-pstrict", "attach", "--run", "--", "-x", "--now"]) == .run(attach))
        #expect(
            try CommandLineParser.parse(["attach", "--runtime", "-p", "strict", "--", "-x", "--now"]) == .run(attach)
        )
        #expect(
            try CommandLineParser.parse(["--copy=help", "--bogus"]) == .run(.init(global: .init(), verb: .copyModes))
        )
        #expect(
            try CommandLineParser.parse(["attach", "-p", "help", "x"]) == .run(.init(global: .init(), verb: .profiles))
        )
        // Alone, or before a verb whose arguments are missing: portablectl lists them before it reads a verb.
        for line in [["--profile=help"], ["-p", "help", "attach"], ["--profile=help", "bogus-verb"]] {
            #expect(try CommandLineParser.parse(line) == .run(.init(global: .init(), verb: .profiles)), "\(line)")
        }
        #expect(try CommandLineParser.parse(["--version"]) == .version)
    }

    @Test("options portablectl has and berthctl does not yet: a clear refusal, not 'unrecognized'")
    func unsupportedOptionsSaySo() {
        for line in [["detach", "--clean", "foo"], ["reattach", "--clean", "foo"]] {
            #expect(throws: CLIError.self, "\(line)") { try CommandLineParser.parse(line) }
            do {
                _ = try CommandLineParser.parse(line)
            } catch {
                #expect(error.message.contains("not supported by berthctl yet"), "\(line): \(error)")
            }
        }
        // Where it means nothing, portablectl accepts --clean, and so does berthctl.
        #expect(throws: Never.self) { try CommandLineParser.parse(["list", "--clean"]) }
    }

    @Test("the verbs parsed are the verbs described, and no others")
    func verbTableMatchesTheDescription() throws {
        for verb in BerthctlCommandLine.tool.verbs {
            do {
                _ = try CommandLineParser.parse(["--root=/r", verb.name, "a", "b"])
            } catch {
                #expect(!error.message.hasPrefix("Unknown command verb"), "\(verb.name): \(error)")
            }
        }
        #expect(
            BerthctlCommandLine.tool.verbs.map(\.name) == [
                "list", "attach", "detach", "reattach", "inspect", "is-attached", "read-only", "remove", "set-limit",
                "profiles", "watch",
            ]
        )
    }
}
