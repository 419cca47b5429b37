import Foundation
import Testing

/// `validate-idl`, `--help`, completions and the man page: no service needed.
@Suite("varlink local verbs", .enabled(if: VarlinkCLIHarness.binaryExists, "the varlink binary is not built"))
struct VarlinkCLIValidateIDLTests {
    private static let valid = """
        # An example.
        interface org.example.valid

        type Item (name: string, size: ?int)

        method List() -> (items: []Item)
        """

    @Test("a valid file is printed in canonical form")
    func validFile() throws {
        let directory = try VarlinkCLITemporaryDirectory()
        let file = directory.url.appendingPathComponent("org.example.valid.varlink")
        try Self.valid.write(to: file, atomically: true, encoding: .utf8)
        let result = try VarlinkCLIHarness.run(["validate-idl", file.path])
        #expect(result.status == 0, "\(result)")
        #expect(result.lines.contains("interface org.example.valid"))
        #expect(result.lines.contains("method List() -> ("))
        let quiet = try VarlinkCLIHarness.run(["validate-idl", "--quiet", file.path])
        #expect(quiet.status == 0 && quiet.standardOutput.isEmpty, "\(quiet)")
    }

    @Test("standard input is read when no file is given")
    func standardInput() throws {
        let result = try VarlinkCLIHarness.run(["validate-idl"], input: Self.valid)
        #expect(result.status == 0, "\(result)")
        #expect(result.lines.contains("interface org.example.valid"))
    }

    @Test("errors are reported as FILE:LINE:COLUMN and exit 1")
    func invalidFile() throws {
        let directory = try VarlinkCLITemporaryDirectory()
        let file = directory.url.appendingPathComponent("broken.varlink")
        try "interface org.example.broken\n\nmethod Get() -> (x: nosuchtype)\n".write(
            to: file,
            atomically: true,
            encoding: .utf8
        )
        let result = try VarlinkCLIHarness.run(["validate-idl", file.path])
        #expect(result.status == 1, "\(result)")
        #expect(result.standardOutput.isEmpty)
        #expect(result.standardError.hasPrefix("\(file.path):3:"), "\(result)")
        let syntax = try VarlinkCLIHarness.run(["validate-idl"], input: "interface org.example.x\nmethod (\n")
        #expect(syntax.status == 1, "\(syntax)")
        #expect(syntax.standardError.hasPrefix("<stdin>:2:"), "\(syntax)")
    }

    @Test("an unreadable file exits 66")
    func unreadable() throws {
        let result = try VarlinkCLIHarness.run(["validate-idl", "/nonexistent/file.varlink"])
        #expect(result.status == 66, "\(result)")
        #expect(result.standardError.contains("/nonexistent/file.varlink"))
    }

    @Test("--help documents addresses, examples and exit statuses")
    func help() throws {
        let result = try VarlinkCLIHarness.run(["--help"])
        #expect(result.status == 0, "\(result)")
        for text in ["exec:", "@name", "Examples:", "Exit status:", "validate-idl", "list-methods"] {
            #expect(result.standardOutput.contains(text), "missing \(text)")
        }
        let call = try VarlinkCLIHarness.run(["call", "--help"])
        #expect(call.standardOutput.contains("--graceful"))
        #expect(call.standardOutput.contains("--collect"))
    }

    @Test("a verb's help and usage errors name the whole command, however the help flag is spelled")
    func verbHelpAndUsage() throws {
        for arguments in [["call", "--help"], ["call", "-h"], ["call", "-qh", "x", "y"], ["help", "call"]] {
            let result = try VarlinkCLIHarness.run(arguments)
            #expect(result.status == 0, "\(arguments): \(result)")
            #expect(
                result.standardOutput.contains("USAGE: varlink call [<options>] <address>"),
                "\(arguments): \(result)"
            )
        }
        let missing = try VarlinkCLIHarness.run(["call"])
        #expect(missing.status == 64, "\(missing)")
        #expect(missing.standardError.contains("Usage: varlink call [<options>] <address>"), "\(missing)")
        let version = try VarlinkCLIHarness.run(["call", "--version"])
        let rootVersion = try VarlinkCLIHarness.run(["--version"])
        #expect(version.status == 0 && !version.standardOutput.isEmpty, "\(version)")
        #expect(version.standardOutput == rootVersion.standardOutput, "\(version)")
    }

    @Test("completion scripts for bash, zsh and fish", arguments: ["bash", "zsh", "fish"])
    func completions(shell: String) throws {
        let result = try VarlinkCLIHarness.run(["--generate-completion-script", shell])
        #expect(result.status == 0, "\(result)")
        #expect(result.standardOutput.contains("list-interfaces"))
    }

    @Test("the man page is generated from the command-line table")
    func manual() throws {
        let result = try VarlinkCLIHarness.run(["--generate-manual"])
        #expect(result.status == 0, "\(result)")
        #expect(result.standardOutput.contains("\n.TH VARLINK 1 "))
        for text in [".SH COMMANDS", #"\fBcall\fR ADDRESS METHOD [PARAMETERS]"#, "\\-\\-graceful"] {
            #expect(result.standardOutput.contains(text), "missing \(text)")
        }
    }
}
