import SystemCalls
import VarlinkIDL

/// `varlink validate-idl [FILE…]`: parse and check interface definitions locally.
struct ValidateIDLCommand: VarlinkCommand {
    var files: [String]
    var quiet: Bool
    var noPager: Bool

    init(_ settings: VarlinkSettings) {
        files = settings.operands
        quiet = settings.output.quiet
        noPager = settings.output.noPager
    }

    func run() throws(ExitStatus) {
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
        if unreadable > 0 { throw .unreadableInput }
        if invalid > 0 { throw .remoteError }
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
