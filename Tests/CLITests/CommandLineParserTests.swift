import BerthCLI
import TestSupport
import Testing

/// `CommandLineParser` (what runs) against the ArgumentParser commands (what help, completions and
/// man pages describe): every line ArgumentParser accepts must mean the same to both. The parser is
/// more permissive where portablectl's getopt is (any option with any verb, abbreviations).
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
    func commonLinesAgreeWithTheHelp(arguments: [String]) throws {
        let parsed = try CommandLineParser.parse(arguments)
        #expect(try Berthctl.parsedByArgumentParser(arguments).map { .run($0) } == parsed, "\(arguments)")
    }

    @Test(arguments: [
        ["--help"], ["-h"], ["attach", "--help"], ["help", "attach"], ["list", "-h"],
        ["--generate-completion-script", "bash"], ["--generate-completion-script=zsh"],
    ])
    func helpAndCompletionsAreArgumentParsers(arguments: [String]) throws {
        #expect(try CommandLineParser.parse(arguments) == .argumentParser, "\(arguments)")
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

    @Test func hoistingKnowsEveryOptionThatTakesAValue() {
        #expect(
            CommandLineParser.spellingsWithValue == [
                "--host", "-H", "--machine", "-M", "--profile", "-p", "--copy", "--extension", "--root", "--address",
                "--json", "--key-file",
            ]
        )
        #expect(CommandLineParser.spellingsWithValue.isSubset(of: ArgumentHoisting.optionsWithValue))
    }

    /// Random command lines built from the verbs' own options, misplaced and broken ones, and positionals:
    /// whatever ArgumentParser (the help) accepts, the parser reads the same way.
    @Test func randomCommandLinesAgree() throws {
        var generator = SeededGenerator(seed: 0x6265_7274_6863_746c)
        let verbs = ["list", "attach", "reattach", "detach", "inspect", "is-attached", "read-only", "help", ""]
        // Mostly options the verb takes, sometimes a broken or misplaced one.
        let global: [[String]] = [
            ["-q"], ["--quiet"], ["--no-legend"], ["--no-pager"], ["--no-ask-password"], ["--json=short"],
            ["--json", "pretty"], ["--json=off"], ["--root=/r"], ["--root", "/r"], ["--address=/a"],
            ["--address", "@abstract"], ["--user"], ["--system"],
        ]
        let selection: [[String]] = [["--extension=/e1"], ["--extension", "e2"], ["--force"]]
        let manager: [[String]] = [["--runtime"], ["--enable"], ["--now"], ["--no-block"], ["--no-reload"]]
        let attach: [[String]] = [
            ["-p", "trusted"], ["--profile=strict"], ["--profile", "help"], ["--copy=copy"], ["--copy", "bogus"],
            ["--profile=-x"],
        ]
        let key: [[String]] = [["--key-file=/k"], ["--key-file", "-"]]
        let positional: [[String]] = [["foo"], ["foo_1.raw"], ["/srv/img"], ["bar"], ["-"], ["list"]]
        let options: [String: [[String]]] = [
            "list": global, "attach": global + selection + manager + attach + key,
            "reattach": global + selection + manager + attach + key, "detach": global + selection + manager,
            "inspect": global + selection + key + [["--cat"]], "is-attached": global + selection,
        ]
        let bad: [[String]] = [
            ["--json=bad"], ["--root="], ["--extension="], ["--force=1"], ["--bogus"], ["-x"], ["--profile"], ["-p"],
            ["--"], ["-qp"], ["--cat"], ["--runtime"], ["-p", "x"],
        ]
        func pick(_ list: [[String]]) -> [String] { list[Int(generator.next() % UInt64(list.count))] }
        func token(for verb: String) -> [String] {
            if generator.next() % 12 == 0 { return pick(bad) }
            if generator.next() % 3 == 0 { return pick(positional) }
            return pick(options[verb] ?? global)
        }
        var accepted = 0
        var checked = 0
        for _ in 0..<1200 {
            var line: [String] = []
            let verb = verbs[Int(generator.next() % UInt64(verbs.count))]
            for _ in 0..<Int(generator.next() % 3) { line += token(for: verb) }
            if !verb.isEmpty { line.append(verb) }
            for _ in 0..<Int(generator.next() % 5) { line += token(for: verb) }
            checked += 1
            // ArgumentParser answers `help` values itself, and gives `--root=` the next argument.
            if line.contains(where: { $0 == "help" || $0.hasSuffix("=") }) { continue }
            guard let reference = try? Berthctl.parsedByArgumentParser(line) else { continue }
            accepted += 1
            do {
                #expect(try CommandLineParser.parse(line) == .run(reference), "\(line)")
            } catch {
                // Values ArgumentParser leaves to the verb, which refuses them with the same words.
                let checkedLater = ["Profile name ", "Failed to parse --copy= argument:"]
                #expect(checkedLater.contains { error.message.hasPrefix($0) }, "\(line): \(error)")
            }
        }
        // Enough lines of each kind, or the comparison says little.
        #expect(accepted > 150 && accepted < checked - 150, "accepted \(accepted) of \(checked)")
    }
}
