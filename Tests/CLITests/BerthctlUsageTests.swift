import BerthCLI
import Foundation
import TestSupport
import Testing

/// Argument handling, help and errors that need no image at all.
@Suite("berthctl usage")
struct BerthctlUsageTests {
    let berthctl: String

    init() throws {
        berthctl = try CLIRunner.executable("berthctl")
    }

    func run(_ arguments: String...) throws -> CLIResult {
        try CLIRunner.run(berthctl, arguments)
    }

    @Test func helpListsEveryVerbAndExitsZero() throws {
        let result = try run("--help")
        #expect(result.status == 0, "\(result)")
        for verb in [
            "list", "attach", "detach", "reattach", "inspect", "is-attached", "read-only", "remove", "set-limit",
            "profiles",
        ] {
            #expect(result.stdout.contains(verb), "help lacks \(verb)")
        }
    }

    @Test(arguments: [
        "list", "attach", "detach", "reattach", "inspect", "is-attached", "read-only", "remove", "set-limit",
        "profiles",
    ])
    func everyVerbHasHelpWithExamples(verb: String) throws {
        let result = try CLIRunner.run(berthctl, [verb, "--help"])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("Examples:"), "\(verb) --help has no examples")
        #expect(result.stdout.contains("berthctl"), "\(result)")
    }

    @Test(arguments: ["bash", "zsh", "fish"])
    func completionScriptsAreGenerated(shell: String) throws {
        let result = try CLIRunner.run(berthctl, ["--generate-completion-script", shell])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("is-attached"), "\(shell) completion lacks verbs")
    }

    @Test func unknownVerbFailsWithStatusOne() throws {
        let result = try run("frobnicate")
        #expect(result.status == 1, "\(result)")
        #expect(!result.stderr.isEmpty)
    }

    @Test func attachWithoutAnImageFailsWithStatusOne() throws {
        let result = try run("attach")
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr == "Too few arguments.\n", "\(result)")
    }

    @Test func attachRefusesTheMatchAllPrefix() throws {
        // The tree's root directory exists, so the image resolves and the match list is what is refused.
        let result = try run("--root=/tmp", "attach", "/", "-")
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("Refusing all unit file match."), "\(result)")
    }

    @Test func unknownCopyModeIsRefusedBeforeAnythingHappens() throws {
        let result = try run("--root=/tmp", "attach", "--copy=sideways", "foo")
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("sideways"), "\(result)")
        #expect(result.stderr.contains("auto, copy, symlink, mixed"), "\(result)")
    }

    @Test func copyHelpListsTheModes() throws {
        let result = try run("attach", "--copy=help", "foo")
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout == "auto\ncopy\nsymlink\nmixed\n\n")
    }

    @Test func invalidProfileNameIsRefused() throws {
        let result = try run("--root=/tmp", "attach", "--profile=../etc", "foo")
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("../etc"), "\(result)")
    }

    @Test func badBooleanForReadOnlyIsRefused() throws {
        let result = try run("--root=/tmp", "read-only", "foo", "maybe")
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("Failed to parse boolean argument: maybe"), "\(result)")
    }

    @Test func badSizeForSetLimitIsRefused() throws {
        let result = try run("--root=/tmp", "set-limit", "lots")
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("Failed to parse size: lots"), "\(result)")
    }

    @Test func unreachableDaemonGivesAClearError() throws {
        let socket = FileManager.default.temporaryDirectory.appendingPathComponent("no-berthd-\(UUID().uuidString)")
        let result = try run("--address=\(socket.path)", "list")
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains(socket.path), "\(result)")
        #expect(result.stderr.contains("berthd"), "the error should say what is not running: \(result)")
    }

    @Test func relativeImagePathOutsideTheRootIsRefused() throws {
        let result = try CLIRunner.run(berthctl, ["--root=/nonexistent-root", "inspect", "./x"], currentDirectory: "/")
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("outside the --root tree"), "\(result)")
    }
}
