import CommandLineTool
import Varlink

/// `varlink`: talk to any Varlink service from the command line (varlinkctl's verbs and options).
package enum VarlinkTool {
    /// Runs the tool: usage errors exit 64 with the verb's usage, command failures print one line and
    /// exit with their `ExitStatus`.
    package static func runMain(arguments: [String]? = nil) async -> Never {
        let request: VarlinkCommandLineParser.Request
        do {
            request = try VarlinkCommandLineParser.parse(arguments ?? Array(CommandLine.arguments.dropFirst()))
        } catch {
            Terminal.writeStandardError(VarlinkCommandLineParser.report(error))
            ExitStatus.usage.terminateProcess()
        }
        do {
            switch request {
            case .run(let verb, let settings):
                try await command(verb, settings).run()
            case .help(let verb):
                Terminal.writeStandardOutput(try help(verb: verb))
            case .document(let document):
                Terminal.writeStandardOutput(document.render(for: VarlinkCommandLine.tool))
            case .version:
                Terminal.writeStandardOutput(BerthVersion.current + "\n")
            }
            ExitStatus.success.terminateProcess()
        } catch let error as ToolError {
            Terminal.reportError(error.message)
            error.status.terminateProcess()
        } catch let failure as RemoteFailure {
            Terminal.reportError("Method call failed: \(failure.summary)")
            failure.status.terminateProcess()
        } catch let status as ExitStatus {
            // Each problem has been reported already; only the status is left to give.
            status.terminateProcess()
        } catch {
            Terminal.reportError("\(error)")
            ExitStatus.remoteError.terminateProcess()
        }
    }

    /// The command `verb` names; the parser has checked its argument count.
    static func command(_ verb: String, _ settings: VarlinkSettings) -> any VarlinkCommand {
        switch verb {
        case "info": InfoCommand(options: ServiceArguments(settings))
        case "list-interfaces": ListInterfacesCommand(options: ServiceArguments(settings))
        case "list-methods": ListMethodsCommand(settings)
        case "introspect": IntrospectCommand(settings)
        case "call": CallCommand(settings)
        default: ValidateIDLCommand(settings)
        }
    }

    /// The tool's help, or `verb`'s.
    static func help(verb: String?) throws(ToolError) -> String {
        let help = HelpText(VarlinkCommandLine.tool)
        guard let verb else { return help.overview() }
        guard let described = VarlinkCommandLine.tool.verb(verb) else {
            throw ToolError.usage("Unknown command verb '\(verb)'. See 'varlink --help' for the verbs.")
        }
        return help.help(for: described)
    }
}
