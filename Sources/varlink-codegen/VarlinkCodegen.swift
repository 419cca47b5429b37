import ArgumentParser
import Foundation
import VarlinkGeneratorCore
import VarlinkIDL

/// `varlink-codegen INPUT.varlink --output OUT.swift [--access-level public|package|internal]`
@main
struct VarlinkCodegen: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "varlink-codegen",
        abstract: "Generate Swift types, a typed client and a service protocol from a Varlink interface.",
        discussion: """
            Diagnostics are printed as FILE:LINE:COLUMN: error: MESSAGE and the exit status is 1.
            With --check the file is only parsed and checked (add --systemd to also report what
            systemd's parser rejects); with --format the canonical text is printed.
            """
    )

    @Argument(help: "The .varlink interface file.")
    var input: String

    @Option(name: .shortAndLong, help: "Where to write the Swift file (default: standard output).")
    var output: String?

    @Option(help: "Access level of the generated declarations: public, package or internal.")
    var accessLevel: String = "public"

    @Flag(help: "Only parse and check the interface.")
    var check = false

    @Flag(help: "Print the canonical interface text instead of Swift.")
    var format = false

    @Flag(help: "With --check: also warn about constructs systemd's parser rejects.")
    var systemd = false

    @Option(help: .hidden)
    var benchmarkIterations: Int?

    func run() throws {
        guard let level = GeneratorConfiguration.AccessLevel(rawValue: accessLevel) else {
            throw ValidationError("--access-level must be public, package or internal, not '\(accessLevel)'")
        }
        let source: String
        do {
            source = try String(contentsOfFile: input, encoding: .utf8)
        } catch {
            Self.printError("\(input): error: cannot read the file as UTF-8 text (\(error.localizedDescription))")
            throw ExitCode.failure
        }
        let fileName = (input as NSString).lastPathComponent
        if let iterations = benchmarkIterations {
            try Self.benchmark(source, fileName: fileName, iterations: iterations)
            return
        }
        let interface: IDLInterface
        do {
            interface = try IDLParser.parse(source, fileName: input)
        } catch {
            Self.printError(error.description)
            throw ExitCode.failure
        }
        if check {
            if systemd {
                let warnings = IDLSystemdCompatibility.check(interface, fileName: input)
                for warning in warnings { Self.printError(warning.description) }
            }
            return
        }
        let text: String
        if format {
            text = IDLFormatter.format(interface)
        } else {
            text = VarlinkGenerator.generate(
                interface,
                configuration: GeneratorConfiguration(accessLevel: level, sourceName: fileName)
            )
        }
        guard let output else {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        // Write only when the content changed, so the build system does not recompile needlessly.
        if let existing = try? String(contentsOfFile: output, encoding: .utf8), existing == text { return }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
        } catch {
            Self.printError("\(output): error: cannot write the output (\(error.localizedDescription))")
            throw ExitCode.failure
        }
    }

    static func printError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Parses the text repeatedly and prints throughput (for the "200 KB in 5 ms" target).
    static func benchmark(_ source: String, fileName: String, iterations: Int) throws {
        var interfaces = 0
        let clock = ContinuousClock()
        var best = Duration.seconds(1000)
        for _ in 0..<max(1, iterations) {
            let start = clock.now
            let interface = try IDLParser.parse(source, fileName: fileName)
            let elapsed = clock.now - start
            interfaces += interface.members.count
            best = min(best, elapsed)
        }
        let bytes = source.utf8.count
        let milliseconds = Double(best.components.attoseconds) / 1e15 + Double(best.components.seconds) * 1000
        print("parsed \(bytes) bytes: best \(String(format: "%.3f", milliseconds)) ms (\(iterations) runs, \(interfaces) members)")
    }
}
