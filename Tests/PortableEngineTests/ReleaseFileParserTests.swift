import PortableEngine
import Testing

@Suite("os-release parser")
struct ReleaseFileParserTests {
    private func parse(_ text: String) throws -> [String: String] {
        Dictionary(try ReleaseFileParser.parse(Array(text.utf8)).map { ($0.key, $0.value) }) { $1 }
    }

    @Test("quoting rules")
    func quoting() throws {
        let fields = try parse(
            """
            # comment
            ID=debian
            PRETTY_NAME="Debian \\"GNU\\"/Linux \\$x \\\\ \\n"
            NAME='single $x \\ "q"'
            MIXED=a"b c"'d'
            ESCAPED=a\\ b
            EMPTY=
              INDENTED=yes
            TRAILING=value   

            """
        )
        #expect(fields["ID"] == "debian")
        #expect(fields["PRETTY_NAME"] == "Debian \"GNU\"/Linux $x \\ \\n")
        #expect(fields["NAME"] == "single $x \\ \"q\"")
        #expect(fields["MIXED"] == "ab cd")
        #expect(fields["ESCAPED"] == "a b")
        #expect(fields["EMPTY"] == "")
        #expect(fields["INDENTED"] == "yes")
        #expect(fields["TRAILING"] == "value")
    }

    @Test("quotes, = and line ends next to combining or prepended marks are still seen (fuzz finding)")
    func graphemeNeighbours() throws {
        // U+0600 is a prepended mark: as Characters, it swallows the closing quote that follows it.
        #expect(try parse("A=\"\u{663}\u{600}\"\n")["A"] == "\u{663}\u{600}")
        // A combining mark right after a closing quote belongs to the unquoted run that follows.
        #expect(try parse("B=\"x\"\u{301}y\n")["B"] == "x\u{301}y")
        // A key glued to a combining mark is not a valid key.
        #expect(throws: ReleaseFileParser.Failure.self) { try parse("C\u{301}=1\n") }
    }

    @Test("CRLF line ends are accepted (\"\\r\\n\" is one Character, not a newline Character)")
    func crlf() throws {
        let fields = try parse("ID=debian\r\nVERSION_ID=\"12\"\r\n")
        #expect(fields == ["ID": "debian", "VERSION_ID": "12"])
    }

    @Test("the last assignment of a key wins")
    func repeatedKeys() throws {
        #expect(try parse("ID=a\nID=b\n")["ID"] == "b")
    }

    @Test(
        "malformed input is an error naming the line",
        arguments: [
            ("ID=debian\nnot an assignment\n", 2),
            ("ID=\"unterminated\n", 1),
            ("ID='unterminated\n", 1),
            ("ID=a\u{1B}[31m\n", 1),
            ("ID=a\0b\n", 1),
            ("1ID=x\n", 1),
            ("ID=x\\", 1),
            ("BAD-KEY=x\n", 1),
        ]
    )
    func malformed(text: String, line: Int) {
        #expect {
            _ = try ReleaseFileParser.parse(Array(text.utf8))
        } throws: { error in
            (error as? ReleaseFileParser.Failure)?.line == line
        }
    }

    @Test("invalid UTF-8 is refused")
    func invalidUTF8() {
        #expect(throws: ReleaseFileParser.Failure.self) {
            _ = try ReleaseFileParser.parse([0x49, 0x44, 0x3D, 0xFF, 0xFE, 0x0A])
        }
    }
}
