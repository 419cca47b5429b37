import PortableEngine
import Testing

@Suite("os-release parser: systemd's env-file grammar")
struct ReleaseFileParserTests {
    private func parse(_ text: String) throws -> [String: String] {
        try parse(Array(text.utf8))
    }

    private func parse(_ bytes: [UInt8]) throws -> [String: String] {
        Dictionary(try ReleaseFileParser.parse(bytes).map { ($0.key, $0.value) }) { $1 }
    }

    /// One tricky os-release and what `portablectl inspect` (257 and 262 alike) printed for it under
    /// "Operating System:" (PRETTY_NAME) and "Portable Service:" (PORTABLE_PRETTY_NAME); nil: "n/a".
    struct LabCase: CustomStringConvertible, Sendable {
        var file: String
        var prettyName: String?
        var portablePrettyName: String?
        var description: String { file.debugDescription }
    }

    static let labCases: [LabCase] = [
        .init(
            file: "ID=x\nPRETTY_NAME=\"a \\\"b\\\" \\$c \\\\d \\e \\tt\"\nPORTABLE_PRETTY_NAME=ok\n",
            prettyName: "a \"b\" $c \\d \\e \\tt",
            portablePrettyName: "ok"
        ),
        .init(
            file: "ID=x\nPRETTY_NAME='a \"b\" \\x $y'\nPORTABLE_PRETTY_NAME=ok\n",
            prettyName: "a \"b\" \\x $y",
            portablePrettyName: "ok"
        ),
        .init(
            file: "ID=x\nPRETTY_NAME=a\\ b\\\"c\\\\d\nPORTABLE_PRETTY_NAME=ok\n",
            prettyName: "a b\"c\\d",
            portablePrettyName: "ok"
        ),
        .init(
            file: "ID=x\nPRETTY_NAME=   spaced  value   \nPORTABLE_PRETTY_NAME=ok\n",
            prettyName: "spaced  value",
            portablePrettyName: "ok"
        ),
        .init(
            file: "ID=x\nPRETTY_NAME=\"x\"y'z' \"w\"\nPORTABLE_PRETTY_NAME=ok\n",
            prettyName: "xy'z' \"w\"",
            portablePrettyName: "ok"
        ),
        .init(
            file: "ID=x\nPRETTY_NAME=one\\\ntwo\nPORTABLE_PRETTY_NAME=ok\n",
            prettyName: "onetwo",
            portablePrettyName: "ok"
        ),
        .init(
            file: "ID=x\nPRETTY_NAME=\"line1\nline2\"\nPORTABLE_PRETTY_NAME=ok\n",
            prettyName: "line1\nline2",
            portablePrettyName: "ok"
        ),
        // An unterminated quote runs to the end of the file and swallows the lines after it.
        .init(
            file: "ID=x\nPRETTY_NAME=\"abc\nPORTABLE_PRETTY_NAME=p\n",
            prettyName: "abc\nPORTABLE_PRETTY_NAME=p\n",
            portablePrettyName: nil
        ),
        .init(
            file: "ID=x\nPRETTY_NAME='unterminated\nPORTABLE_PRETTY_NAME=p\n",
            prettyName: "unterminated\nPORTABLE_PRETTY_NAME=p\n",
            portablePrettyName: nil
        ),
        // A comment ending in a backslash does not continue (systemd ≥ 254).
        .init(
            file: "ID=x\n# comment \\\nPRETTY_NAME=after\nPORTABLE_PRETTY_NAME=ok\n",
            prettyName: "after",
            portablePrettyName: "ok"
        ),
        .init(
            file: "ID=x\n  PRETTY_NAME  =  spaced key\nPORTABLE_PRETTY_NAME=ok\n",
            prettyName: "spaced key",
            portablePrettyName: "ok"
        ),
        .init(
            file: "ID=x\n;PRETTY_NAME=semicolon\nPORTABLE_PRETTY_NAME=ok\n",
            prettyName: nil,
            portablePrettyName: "ok"
        ),
        .init(
            file: "ID=x\nPRETTY_NAME\nPRETTY_NAME=ok2\nPORTABLE_PRETTY_NAME=ok\n",
            prettyName: "ok2",
            portablePrettyName: "ok"
        ),
        .init(
            file: "ID=x\r\nPRETTY_NAME=cr\r\nPORTABLE_PRETTY_NAME=pp\r\n",
            prettyName: "cr",
            portablePrettyName: "pp"
        ),
        .init(
            file: "ID=x\nPRETTY_NAME=first\nPRETTY_NAME=second\nPORTABLE_PRETTY_NAME=ok\n",
            prettyName: "second",
            portablePrettyName: "ok"
        ),
        .init(
            file: "ID=x\nexport PRETTY_NAME=exported\nPORTABLE_PRETTY_NAME=ok\n",
            prettyName: nil,
            portablePrettyName: "ok"
        ),
        .init(
            file: "ID=x\nPRETTY_NAME=\"a\\\nb\"\nPORTABLE_PRETTY_NAME=ok\n",
            prettyName: "ab",
            portablePrettyName: "ok"
        ),
        .init(file: "ID=x\nPRETTY_NAME=trail\\", prettyName: "trail", portablePrettyName: nil),
        .init(
            file: "ID=x\nPRETTY_NAME=a # not a comment\nPORTABLE_PRETTY_NAME=\n",
            prettyName: "a # not a comment",
            portablePrettyName: nil
        ),
        .init(
            file: "ID=x\nPRETTY_NAME=\u{1B}[31mred\nPORTABLE_PRETTY_NAME=ok\n",
            prettyName: "\u{1B}[31mred",
            portablePrettyName: "ok"
        ),
        .init(
            file: "ID=x\nPRE-TTY=1\n1PRETTY_NAME=digit\nPRETTY_NAME=ok\nPORTABLE_PRETTY_NAME=ok\n",
            prettyName: "ok",
            portablePrettyName: "ok"
        ),
        .init(
            file: "ID=x\nPRETTY_NAME=\"a\"\\\n\"b\"\nPORTABLE_PRETTY_NAME=ok\n",
            prettyName: "a\"b\"",
            portablePrettyName: "ok"
        ),
    ]

    @Test("fields as portablectl inspect reads them", arguments: labCases)
    func asPortablectlReadsThem(_ testCase: LabCase) throws {
        let fields = try parse(testCase.file)
        func shown(_ key: String) -> String? { fields[key].flatMap { $0.isEmpty ? nil : $0 } }
        #expect(shown("PRETTY_NAME") == testCase.prettyName)
        #expect(shown("PORTABLE_PRETTY_NAME") == testCase.portablePrettyName)
        #expect(fields["ID"] == "x")
    }

    /// portablectl: "Failed to parse /etc/os-release: Bad message" (NUL) / "Invalid argument" (UTF-8).
    @Test("a NUL byte or invalid UTF-8 in a value fails the file, naming the line")
    func refused() throws {
        for (bytes, line) in [
            (Array("ID=x\nPRETTY_NAME=ab\0cd\n".utf8), 2),
            (Array("ID=x\nPRETTY_NAME=".utf8) + [0xFF, 0xFE, 0x0A], 2),
            (Array("ID=x\n".utf8) + [0xFF] + Array("=1\n".utf8), 2),
        ] {
            #expect {
                _ = try ReleaseFileParser.parse(bytes)
            } throws: { error in
                (error as? ReleaseFileParser.Failure)?.line == line
            }
        }
        // Invalid UTF-8 in a comment is no key or value: accepted, as systemd does.
        #expect(try parse(Array("# ".utf8) + [0xFF] + Array("\nID=y\n".utf8)) == ["ID": "y"])
    }

    @Test("quotes, = and line ends next to combining or prepended marks are still seen (fuzz finding)")
    func graphemeNeighbours() throws {
        // U+0600 is a prepended mark: as Characters, it swallows the closing quote that follows it.
        #expect(try parse("A=\"\u{663}\u{600}\"\n")["A"] == "\u{663}\u{600}")
        // A combining mark right after a closing quote belongs to the unquoted run that follows.
        #expect(try parse("B=\"x\"\u{301}y\n")["B"] == "x\u{301}y")
        #expect(try parse("C\u{301}=1\n")["C\u{301}"] == "1")
    }

    @Test("a key repeated keeps its first position and its last value")
    func repeatedKeys() throws {
        let fields = try ReleaseFileParser.parse(Array("ID=a\nX=1\nID=b\n".utf8))
        #expect(fields.map(\.key) == ["ID", "X"])
        #expect(fields.map(\.value) == ["b", "1"])
    }
}
