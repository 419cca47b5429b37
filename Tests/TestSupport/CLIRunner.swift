import Foundation

/// What a finished command-line process left: its output and exit status.
package struct CLIResult: Sendable, CustomStringConvertible {
    package var status: Int32
    package var stdout: String
    package var stderr: String

    package var description: String { "status \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }
}

/// Runs the package's built executables (berthctl, berthd, varlink) as real subprocesses.
package enum CLIRunner {
    package struct MissingExecutable: Error, CustomStringConvertible {
        package var name: String
        package var searched: String
        package var description: String {
            "\(name) is not built in \(searched): run `swift build --build-tests` (or `swift build --product \(name)`)"
        }
    }

    /// The build directory the test bundle runs from (where SwiftPM also puts the executables).
    package static var buildDirectory: String { buildDirectoryURL.path }

    private static var buildDirectoryURL: URL {
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        // .../debug/BerthPackageTests.xctest (a file on Linux) → .../debug
        while url.pathComponents.count > 1, url.pathExtension == "xctest" || !isDirectory(url) {
            url.deleteLastPathComponent()
        }
        return url
    }

    /// The path of a built executable, or an error telling how to build it.
    package static func executable(_ name: String) throws -> String {
        let path = buildDirectoryURL.appendingPathComponent(name).path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw MissingExecutable(name: name, searched: buildDirectory)
        }
        return path
    }

    /// Runs `executable` with `arguments` and waits for it; stdin is `input`, or /dev/null.
    package static func run(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String]? = nil,
        currentDirectory: String? = nil,
        input: String? = nil
    ) throws -> CLIResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        // The built executables are not installed, so they learn where the shipped profiles are.
        var childEnvironment = environment ?? ProcessInfo.processInfo.environment
        if childEnvironment["BERTH_PROFILE_DIR"] == nil {
            childEnvironment["BERTH_PROFILE_DIR"] = RepositoryLayout.profilesDirectory
        }
        process.environment = childEnvironment
        if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
        // Files, not pipes: a chatty child can never block on a full pipe while we wait for it.
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout")
        let errURL = scratch.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        if let input {
            let inURL = scratch.appendingPathComponent("stdin")
            try Data(input.utf8).write(to: inURL)
            process.standardInput = try FileHandle(forReadingFrom: inURL)
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        return CLIResult(
            status: process.terminationStatus,
            stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self)
        )
    }

    private static func isDirectory(_ url: URL) -> Bool {
        var flag: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &flag) && flag.boolValue
    }
}
