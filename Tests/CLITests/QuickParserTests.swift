import BerthCLI
import TestSupport
import Testing

/// `QuickParser` against ArgumentParser: on every command line the quick one accepts, both must
/// produce the same settings; whatever it declines goes to ArgumentParser anyway.
@Suite("berthctl quick parser")
struct QuickParserTests {
    /// Lines scripts and the benchmark use: the quick parser must take them (or the fast path is gone).
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
    func commonLinesTakeTheQuickPathAndAgree(arguments: [String]) throws {
        let quick = try #require(QuickParser.parse(arguments), "declined: \(arguments)")
        #expect(try Berthctl.parsedByArgumentParser(arguments) == quick, "\(arguments)")
    }

    @Test(arguments: [
        ["--help"], ["-h"], ["attach", "--help"], ["--version"], ["help", "attach"], ["profiles"],
        ["--generate-completion-script", "bash"], ["frobnicate"], ["foo"], ["attach"], ["is-attached", "a", "b"],
        ["list", "extra"], ["attach", "--profile"], ["attach", "--profile", "--now", "foo"], ["--", "list"],
        ["attach", "--force=yes", "foo"], ["attach", "--runtime", "--runtime", "foo"], ["list", "--cat"],
        ["list", "--runtime"], ["inspect", "-p", "x", "foo"], ["--json=yaml", "list"], ["attach", "-p=x", "foo"],
        ["attach", "-qp", "x", "foo"], ["list", "--extension=/x"], ["read-only", "foo"],
    ])
    func declinesWhatArgumentParserMustJudge(arguments: [String]) {
        #expect(QuickParser.parse(arguments) == nil, "\(arguments)")
    }

    @Test func hoistingKnowsEveryOptionThatTakesAValue() {
        let spellings = [
            "--root", "--address", "-q", "--quiet", "--no-pager", "--no-legend", "--no-ask-password", "--json",
            "--extension", "--force", "--runtime", "--enable", "--now", "--no-block", "--no-reload", "-p",
            "--profile", "--copy", "--key-file", "--cat",
        ]
        for spelling in spellings {
            let (known, takesValue) = QuickParser.knows(spelling)
            #expect(known, "\(spelling)")
            #expect(takesValue == QuickParser.spellingsWithValue.contains(spelling), "\(spelling)")
            #expect(takesValue == ArgumentHoisting.optionsWithValue.contains(spelling), "\(spelling)")
        }
        #expect(QuickParser.spellingsWithValue.allSatisfy { QuickParser.knows($0).takesValue })
    }

    /// Random command lines built from the verbs' own options, misplaced and broken ones, and positionals.
    @Test func randomCommandLinesAgree() throws {
        var generator = SeededGenerator(seed: 0x6265_7274_6863_746c)
        let verbs = ["list", "attach", "reattach", "detach", "inspect", "is-attached", "read-only", "help", ""]
        // Mostly options the verb takes, sometimes a broken or misplaced one.
        let global: [[String]] = [
            ["-q"], ["--quiet"], ["--no-legend"], ["--no-pager"], ["--no-ask-password"], ["--json=short"],
            ["--json", "pretty"], ["--json=off"], ["--root=/r"], ["--root", "/r"], ["--address=/a"],
            ["--address", "@abstract"],
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
            guard let quick = QuickParser.parse(line) else { continue }
            accepted += 1
            let reference: ParsedCommandLine?
            do {
                reference = try Berthctl.parsedByArgumentParser(line)
            } catch {
                Issue.record("quick parser accepted \(line), ArgumentParser refused it: \(error)")
                continue
            }
            #expect(reference == quick, "\(line)")
        }
        // Enough lines of each kind, or the comparison says little.
        #expect(accepted > 150 && accepted < checked - 150, "accepted \(accepted) of \(checked)")
    }
}
