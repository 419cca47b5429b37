import Foundation
import Testing

/// Paging on a terminal: script(1) gives `varlink` a pseudo-terminal as standard output, so the output
/// goes through `PAGER` (started with `sh -c`, `LESS` and `LESSCHARSET` set as systemd sets them).
@Suite(
    "varlink pager",
    .enabled(if: VarlinkCLIHarness.binaryExists, "the varlink binary is not built"),
    .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script"), "needs script(1) for a terminal")
)
struct VarlinkCLIPagerTests {
    @Test("output on a terminal is piped into PAGER, which sees LESS=FRXMK")
    func pagedThroughPager() throws {
        let directory = try VarlinkCLITemporaryDirectory()
        let pager = directory.url.appendingPathComponent("pager")
        try "#!/bin/sh\necho \"LESS=$LESS $LESSCHARSET\"\nsed 's/^/PAGED:/'\n".write(
            to: pager,
            atomically: true,
            encoding: .utf8
        )
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: pager.path)
        let output = try Self.onTerminal(
            ["validate-idl", "-"],
            input: "interface org.example.paged\nmethod P() -> ()\n",
            pager: pager.path
        )
        #expect(output.contains("LESS=FRXMK utf-8"), "\(output)")
        #expect(output.contains("PAGED:interface org.example.paged"), "\(output)")
    }

    @Test("a pager that cannot be started leaves the output printed directly")
    func missingPager() throws {
        let output = try Self.onTerminal(
            ["validate-idl", "-"],
            input: "interface org.example.direct\n",
            pager: "/nonexistent/pager"
        )
        #expect(output.contains("interface org.example.direct"), "\(output)")
        #expect(!output.contains("PAGED:"), "\(output)")
    }

    /// Runs `varlink ARGUMENTS` with a pseudo-terminal as stdout (script(1)) and `input` in a file on
    /// stdin; returns what was written to the terminal.
    private static func onTerminal(_ arguments: [String], input: String, pager: String) throws -> String {
        let directory = try VarlinkCLITemporaryDirectory()
        let inputFile = directory.url.appendingPathComponent("input")
        try input.write(to: inputFile, atomically: true, encoding: .utf8)
        let quoted = ([VarlinkCLIHarness.binary.path] + arguments).map { "'\($0)'" }.joined(separator: " ")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qec", "\(quoted) <'\(inputFile.path)'", "/dev/null"]
        var environment = ProcessInfo.processInfo.environment
        environment["PAGER"] = pager
        environment["NO_COLOR"] = "1"
        environment["SYSTEMD_PAGER"] = nil
        environment["LESS"] = nil
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
    }
}
