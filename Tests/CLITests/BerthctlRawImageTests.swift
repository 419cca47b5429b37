import Foundation
import TestSupport
import Testing

/// Raw images through berthctl, in process (`--root`) and through berthd: what `inspect` and `list`
/// say about the disk, and LUKS2 key material passed with `--key-file` (over Varlink as base64).
@Suite(
    "berthctl with raw images",
    .serialized,
    .enabled(
        if: access("/dev/loop-control", W_OK) == 0 && RawImageTools.isInstalled("mksquashfs")
            && RawImageTools.isInstalled("cryptsetup"),
        "needs root, loop devices, mksquashfs and cryptsetup"
    )
)
struct BerthctlRawImageTests {
    /// A tree with a squashfs image `sq_1.raw` and a LUKS2 container `vault.raw` (passphrase "secret").
    private func makeTree() throws -> CLITestTree {
        let tree = try CLITestTree()
        let source = try tree.makeImage("sq-source", in: "", units: ["sq.service": "[Service]\nExecStart=/bin/true\n"])
        try RawImageTools.run(
            "mksquashfs",
            [tree.root + source, tree.root + "/var/lib/portables/sq_1.raw", "-quiet", "-noappend", "-all-root"]
        )
        let vault = tree.root + "/var/lib/portables/vault.raw"
        try RawImageTools.run("truncate", ["-s", "20M", vault])
        try RawImageTools.run(
            "cryptsetup",
            [
                "luksFormat", "--type", "luks2", "--batch-mode", "--pbkdf", "pbkdf2", "--pbkdf-force-iterations",
                "1000", "--key-file=-", vault,
            ],
            input: Array("secret".utf8)
        )
        try tree.write("secret", to: "/keys/right")
        try tree.write("wrong", to: "/keys/wrong")
        return tree
    }

    private static let squashfsDisk =
        #"{"partitionTable":"none","fileSystem":"squashfs","verity":"none","encryption":"none"}"#

    @Test func inspectAndListShowTheDiskInProcessAndThroughBerthd() throws {
        let tree = try makeTree()
        let berthctl = try CLIRunner.executable("berthctl")
        let daemon = try DaemonUnderTest(root: tree.root)
        let inProcess = { (arguments: [String]) throws -> CLIResult in
            try CLIRunner.run(berthctl, ["--root=\(tree.root)"] + arguments)
        }
        for run in [inProcess, { try daemon.berthctl($0) }] {
            var result = try run(["inspect", "sq_1"])
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout.contains("Disk:\n\tbare file system, squashfs, no dm-verity, not encrypted\n"))
            result = try run(["--json=short", "inspect", "sq_1"])
            #expect(result.stdout.contains("\"disk\":" + Self.squashfsDisk), "\(result)")

            // list reads headers only: the LUKS2 volume is seen as such without any key.
            result = try run(["--json=short", "list"])
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout.contains("\"disk\":" + Self.squashfsDisk), "\(result)")
            #expect(
                result.stdout.contains(
                    #""disk":{"partitionTable":"none","fileSystem":"unknown","verity":"none","encryption":"luks2"}"#
                ),
                "\(result)"
            )
        }
        #expect(RawImageTools.loopDevices(backedUnder: tree.root).isEmpty)
    }

    @Test func keyMaterialReachesTheEngineInProcessAndThroughBerthd() throws {
        let tree = try makeTree()
        let berthctl = try CLIRunner.executable("berthctl")
        let daemon = try DaemonUnderTest(root: tree.root)
        let inProcess = { (arguments: [String], input: String?) throws -> CLIResult in
            try CLIRunner.run(berthctl, ["--root=\(tree.root)"] + arguments, input: input)
        }
        let deviceMapper = FileManager.default.fileExists(atPath: "/dev/mapper/control")
        for run in [inProcess, { try daemon.berthctl($0, input: $1) }] {
            var result = try run(["inspect", "vault"], nil)
            #expect(result.status == 1)
            #expect(result.stderr.contains("is encrypted"), "\(result)")
            #expect(result.stderr.contains("--key-file"), "\(result)")

            result = try run(["inspect", "--key-file=\(tree.root)/keys/wrong", "vault"], nil)
            #expect(result.status == 1)
            #expect(result.stderr.contains("Cannot unlock image"), "\(result)")

            // The right key passes the header check; activation then needs device-mapper.
            for (arguments, input) in [(["--key-file=\(tree.root)/keys/right"], nil), (["--key-file=-"], "secret\n")] {
                result = try run(["inspect"] + arguments + ["vault"], input)
                #expect(result.status == 1)
                #expect(!result.stderr.contains("Cannot unlock"), "\(result)")
                if !deviceMapper { #expect(result.stderr.contains("device-mapper is not available"), "\(result)") }
            }
        }
        #expect(RawImageTools.loopDevices(backedUnder: tree.root).isEmpty)
    }
}
