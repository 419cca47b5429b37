import CommandLineTool
import Varlink

/// `berthctl`: attach, detach and inspect portable services, compatible with portablectl.
package enum Berthctl {
    package static let defaultAddress = "/run/berth/io.berth.Portable"

    /// Parses `arguments` (without the program name), runs the verb, and returns the exit status.
    /// Errors print one clear message on stderr and give 1, like portablectl's.
    package static func run(arguments: [String]) async -> Int32 {
        do {
            switch try CommandLineParser.parse(arguments) {
            case .run(let parsed):
                try await parsed.run()
            case .version:
                Terminal.out(BerthVersion.current + "\n")
            case .help(let verb):
                Terminal.out(try help(verb: verb))
            case .document(let document):
                Terminal.out(document.render(for: BerthctlCommandLine.tool))
            }
            return 0
        } catch let exit as SilentExit {
            return exit.code
        } catch let error as CLIError {
            Terminal.err(error.description + "\n")
            return error.exitCode
        } catch {
            Terminal.err("\(error)\n")
            return 1
        }
    }

    /// The tool's help, or `verb`'s.
    package static func help(verb: String?) throws(CLIError) -> String {
        let help = HelpText(BerthctlCommandLine.tool)
        guard let verb else { return help.overview() }
        guard let described = BerthctlCommandLine.tool.verb(verb) else {
            throw CLIError("Unknown command verb '\(verb)'.", hint: "See 'berthctl --help' for the verbs.")
        }
        return help.help(for: described)
    }
}
