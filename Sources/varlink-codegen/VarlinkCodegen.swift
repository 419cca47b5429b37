import ArgumentParser
import Foundation
import VarlinkGeneratorCore
import VarlinkIDL

/// `varlink-codegen INPUT.varlink --output OUT.swift [--access-level public|package|internal]`
@main
struct VarlinkCodegen: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "varlink-codegen",
        abstract:
            "Generate Swift types, the API protocol, a typed client and a service adapter from a Varlink interface.",
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

    @Flag(help: "Also make the generated types Codable (the wire does not need it).")
    var codable = false

    @Option(help: .hidden)
    var benchmarkIterations: Int?

    func run() throws {
        guard let level = GeneratorConfiguration.AccessLevel(rawValue: accessLevel) else {
            throw ValidationError("--access-level must be public, package or internal, not '\(accessLevel)'")
        }
        if let iterations = benchmarkIterations {
            var isDirectory: ObjCBool = false
            var paths = [input]
            if FileManager.default.fileExists(atPath: input, isDirectory: &isDirectory), isDirectory.boolValue {
                let names = try FileManager.default.contentsOfDirectory(atPath: input).filter {
                    $0.hasSuffix(".varlink")
                }
                paths = names.sorted().map { input + "/" + $0 }
            }
            try Self.benchmark(
                try paths.map { try String(contentsOfFile: $0, encoding: .utf8) },
                iterations: iterations
            )
            return
        }
        let source: String
        do {
            source = try String(contentsOfFile: input, encoding: .utf8)
        } catch {
            Self.printError("\(input): error: cannot read the file as UTF-8 text (\(error.localizedDescription))")
            throw ExitCode.failure
        }
        let fileName = (input as NSString).lastPathComponent
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
                configuration: GeneratorConfiguration(accessLevel: level, sourceName: fileName, codable: codable)
            )
        }
        guard let output else {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
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

    /// Parses the texts until `targetBytes` have been parsed, `iterations` times, and prints the best
    /// time (for the "200 KB of real interface text in 5 ms" target). `--benchmark-iterations N`
    /// with a directory as INPUT parses every `.varlink` file in it.
    static func benchmark(_ sources: [String], iterations: Int, targetBytes: Int = 200 * 1024) throws {
        let clock = ContinuousClock()
        var best = Duration.seconds(1000)
        var parsedBytes = 0
        var members = 0
        for _ in 0..<max(1, iterations) {
            var bytes = 0
            members = 0
            let start = clock.now
            while bytes < targetBytes {
                for source in sources {
                    let interface = try IDLParser.parse(source)
                    members += interface.members.count
                    bytes += source.utf8.count
                }
            }
            let elapsed = clock.now - start
            parsedBytes = bytes
            best = min(best, elapsed)
        }
        let milliseconds = Double(best.components.attoseconds) / 1e15 + Double(best.components.seconds) * 1000
        let perMegabyte = milliseconds / Double(parsedBytes) * 1_048_576
        print(
            "parsed \(parsedBytes) bytes (\(sources.count) files, \(members) members): best of \(iterations) "
                + String(format: "%.3f ms, %.1f ms/MiB", milliseconds, perMegabyte)
        )
    }
}
