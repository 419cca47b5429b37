import Foundation
import TestSupport

/// What the berthctl and varlink document tests share: the real shells that load the completion scripts,
/// a scratch file for a generated document, and bash's completion function run the way bash calls it.
enum CompletionScriptHarness {
    /// The shell's path, or nil with the reason printed (a skip says why).
    static func shell(_ name: String) -> String? {
        for directory in ["/usr/bin", "/bin", "/usr/local/bin"]
        where FileManager.default.isExecutableFile(atPath: directory + "/" + name) {
            return directory + "/" + name
        }
        print("skipped: \(name) is not installed, so its completion script is not loaded")
        return nil
    }

    /// `text` in a new file named `name` (a completion script's name is what the shell looks up).
    static func scratchFile(_ text: String, name: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("documents-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: file)
        return file.path
    }

    /// Sources the bash `script`, prints `complete -p TOOL`, then for each line of `words` (COMP_WORDS as bash
    /// splits them, at '=' too) calls `_TOOL` and prints COMPREPLY on a line of its own.
    static func bashCompletions(bash: String, script: String, tool: String, words: [String]) throws -> CLIResult {
        var command = "source \(script) && complete -p \(tool)"
        for line in words {
            let quoted = line.split(separator: " ", omittingEmptySubsequences: false).map { "'\($0)'" }
            command += "; COMP_WORDS=(\(quoted.joined(separator: " ")))"
            command += "; COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); COMPREPLY=(); _\(tool); echo \"${COMPREPLY[*]}\""
        }
        return try CLIRunner.run(bash, ["--norc", "--noprofile", "-c", command])
    }
}
