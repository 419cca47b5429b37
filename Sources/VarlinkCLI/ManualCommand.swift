import ArgumentParser

/// `varlink generate-manual`: prints the man page, rendered from the command tree (hidden).
struct ManualCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate-manual",
        abstract: "Print the varlink(1) manual page in roff format.",
        shouldDisplay: false
    )

    func run() throws {
        Terminal.writeStandardOutput(ManualPage.render(VarlinkTool.self))
    }
}
