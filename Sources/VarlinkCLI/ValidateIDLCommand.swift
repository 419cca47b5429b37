import ArgumentParser
import SystemCalls
import VarlinkIDL

/// `varlink validate-idl [FILE…]`: parse and check interface definitions locally.
struct ValidateIDLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate-idl",
        abstract: "Check interface definition files for syntax and consistency errors.",
        discussion: """
            Reads each FILE (standard input when none is given or FILE is '-'), reports every problem as \
            FILE:LINE:COLUMN: error: MESSAGE on standard error, and exits 1 if any file is invalid (66 if a file \
            cannot be read). A single valid input is printed in canonical form unless --quiet is given.

            Examples:
              varlink validate-idl interfaces/io.berth.Portable.varlink
              varlinkctl introspect /run/foo io.example.Foo | varlink validate-idl
            """
    )

    @Argument(help: "Interface definition files, or '-' for standard input.")
    var files: [String] = []

    @Flag(name: [.short, .long], help: "Print nothing on success.")
    var quiet = false

    @Flag(name: .long, help: "Do not pipe output into a pager.")
    var noPager = false

    func run() throws {
        let terminal = Terminal(noPager: noPager)
        let inputs = files.isEmpty ? ["-"] : files
        var invalid = 0
        var unreadable = 0
        var formatted: [String] = []
        for input in inputs {
            let fileName = input == "-" ? "<stdin>" : input
            guard let text = read(input) else {
                Terminal.reportError("\(fileName): cannot read the file")
                unreadable += 1
                continue
            }
            do {
                let interface = try InterfaceText.parse(text, fileName: fileName)
                formatted.append(InterfaceText.format(interface))
            } catch {
                for diagnostic in error.diagnostics {
                    Terminal.writeStandardError(diagnostic.description + "\n")
                }
                invalid += 1
            }
        }
        // Each problem has been reported already; only the status is left to give.
        if unreadable > 0 { throw ExitCode(ExitStatus.unreadableInput.rawValue) }
        if invalid > 0 { throw ExitCode(ExitStatus.remoteError.rawValue) }
        if !quiet && inputs.count == 1, let text = formatted.first {
            terminal.emit(IDLHighlighter(terminal: terminal).highlight(text), paged: true)
        }
    }

    private func read(_ input: String) -> String? {
        if input == "-" { return Terminal.readStandardInput() }
        guard let file = try? FileDescriptor.currentWorkingDirectory.openat(input, flags: [.readOnly, .closeOnExec])
        else { return nil }
        defer { file.close() }
        return (try? file.readAll(limit: 16 << 20)).flatMap { String(validating: $0, as: UTF8.self) }
    }
}
