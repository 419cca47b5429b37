import Foundation
import TestSupport
import Testing

/// Refusals and skipped unit entries, as berthctl prints them in `--root` mode and through a real berthd:
/// the lines portablectl 257 and 262 print for the same images (recorded in the lab, images by name in
/// /var/lib/portables), Berth's hint only after them.
@Suite("berthctl refuses with portablectl's words")
struct PortablectlRefusalTests {
    /// One image per refusal, plus `skip` whose unusable unit entries are skipped silently.
    private static func makeTree() throws -> CLITestTree {
        let tree = try CLITestTree()
        let service = DemoUnits.service
        try tree.makeImage("noos", units: ["noos.service": service])
        try FileManager.default.removeItem(atPath: tree.root + "/var/lib/portables/noos/usr/lib/os-release")
        try tree.makeImage("noid", osRelease: "NAME=x\n", units: ["noid.service": service])
        try tree.makeImage(
            "pref",
            osRelease: "ID=debian\nPORTABLE_PREFIXES=alpha beta\n",
            units: ["alpha.service": service]
        )
        try tree.makeImage("exists", units: ["exists.service": service])
        try tree.write(service, to: "/etc/systemd/system/exists.service")
        try tree.makeImage("nomatch", units: ["other.service": service])
        try tree.makeImage("garbage", osRelease: "ID=debian\nNAME=\u{0}\n", units: ["garbage.service": service])
        // Extensions of "pref": one for another OS, one without extension-release.
        try tree.makeImage("wrongext", osRelease: "ID=debian\n", units: [:])
        let releaseDirectory = "/var/lib/portables/wrongext/usr/lib/extension-release.d"
        try tree.write("ID=other\n", to: releaseDirectory + "/extension-release.wrongext")
        try tree.makeImage("bareext", osRelease: "ID=debian\n", units: [:])
        try tree.makeImage("skip", units: ["skip.service": service])
        let units = tree.root + "/var/lib/portables/skip/usr/lib/systemd/system"
        let files = FileManager.default
        try files.createSymbolicLink(atPath: units + "/skip-gone.service", withDestinationPath: "/nowhere")
        try files.createDirectory(atPath: units + "/skip-dir.service", withIntermediateDirectories: false)
        return tree
    }

    /// Arguments → the lines portablectl prints (stderr, in order); berthctl's hint may follow each error.
    private static let refusals: [([String], [String])] = [
        (
            ["attach", "nosuch"],
            ["(Matching unit files with prefix 'nosuch'.)", "AttachImage failed: No image 'nosuch' found."]
        ),
        (
            ["attach", "noos"],
            [
                "(Matching unit files with prefix 'noos'.)",
                "AttachImage failed: Image '/var/lib/portables/noos' lacks os-release data, refusing.",
            ]
        ),
        (
            ["attach", "noid"],
            [
                "(Matching unit files with prefix 'noid'.)",
                "AttachImage failed: Image /var/lib/portables/noid os-release metadata lacks the ID field",
            ]
        ),
        (
            ["attach", "pref", "gamma", "alpha"],
            [
                "(Matching unit files with prefixes 'gamma', 'alpha'.)",
                "AttachImage failed: Selected matches 'gamma', 'alpha' are not compatible with portable service image "
                    + "'/var/lib/portables/pref', refusing. (Acceptable prefix matches are: alpha, beta)",
            ]
        ),
        (
            ["attach", "exists"],
            [
                "(Matching unit files with prefix 'exists'.)",
                "AttachImage failed: Unit file 'exists.service' exists on the host already, refusing.",
            ]
        ),
        (
            ["attach", "nomatch"],
            [
                "(Matching unit files with prefix 'nomatch'.)",
                "AttachImage failed: Couldn't find any matching unit files in image '/var/lib/portables/nomatch', "
                    + "refusing.",
            ]
        ),
        // portablectl 262 (257 attached without a profile; Berth refuses, on purpose).
        (
            ["attach", "-p", "nosuch", "pref", "alpha"],
            [
                "(Matching unit files with prefix 'alpha'.)",
                "AttachImage failed: Profile 'nosuch' does not exist, refusing. (Available profiles are: default, "
                    + "nonetwork, strict, trusted)",
            ]
        ),
        // A missing path fails before the matching line (berthd's client resolves it on the machine, --root
        // inside the tree).
        (
            ["attach", "/srv/images/nosuch"],
            ["Cannot normalize specified image path '/srv/images/nosuch': No such file or directory"]
        ),
        // image_name_is_valid refuses only ".#" names: ".hidden" is looked up by name.
        (
            ["attach", ".hidden"],
            ["(Matching unit files with prefix '.hidden'.)", "AttachImage failed: No image '.hidden' found."]
        ),
        // Checked while portablectl reads its options (262's words).
        (["attach", "--profile=a/b", "pref", "alpha"], ["Profile name 'a/b' is not valid."]),
        (["attach", ""], ["Cannot normalize specified image path '': Invalid argument"]),
        // The extensions' paths are normalized after the matching line.
        (
            ["attach", "--extension=/srv/images/nothere", "pref", "alpha"],
            [
                "(Matching unit files with prefix 'alpha'.)",
                "Cannot normalize specified image path '/srv/images/nothere': No such file or directory",
            ]
        ),
        (
            ["attach", "--extension=wrongext", "pref", "alpha"],
            [
                "(Matching unit files with prefix 'alpha'.)",
                "AttachImageWithExtensions failed: Image /var/lib/portables/wrongext extension-release metadata does "
                    + "not match the root's",
            ]
        ),
        (
            ["attach", "--extension=bareext", "pref", "alpha"],
            [
                "(Matching unit files with prefix 'alpha'.)",
                "AttachImageWithExtensions failed: No such file or directory",
            ]
        ),
        // portabled fails on the os-release's NUL byte with EBADMSG; portablectl's inspect parses it itself.
        (["attach", "garbage"], ["(Matching unit files with prefix 'garbage'.)", "AttachImage failed: Bad message"]),
        (
            ["inspect", "garbage"],
            ["(Matching unit files with prefix 'garbage'.)", "Failed to parse /etc/os-release: Bad message"]
        ),
        (["remove", "nosuch"], ["Could not remove image: No image 'nosuch' found."]),
        // A valid unit name (unit_name_is_valid) but no image name portablectl can take a prefix from.
        (["attach", "foo@@.service"], ["Failed to extract prefix of image name 'foo@@.service': Invalid argument"]),
        (
            ["detach", "nosuch"],
            [
                "DetachImage failed: No unit files associated with 'nosuch' found attached to the system. "
                    + "Image not attached?"
            ]
        ),
        (
            ["detach", "--force", "nosuch"],
            [
                "DetachImageWithExtensions failed: No unit files associated with 'nosuch' found attached to the "
                    + "system. Image not attached?"
            ]
        ),
    ]

    /// Checks every refusal and the silent skips with `run` (one of the two paths).
    private static func check(root: String, _ run: ([String]) throws -> CLIResult) throws {
        for (arguments, expected) in refusals {
            let result = try run(arguments)
            #expect(result.status == 1, "\(arguments): \(result)")
            let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            #expect(Array(lines.prefix(expected.count)) == expected, "\(arguments): \(result)")
            // At most Berth's hint after portablectl's lines.
            #expect(lines.count <= expected.count + 2, "\(arguments): \(result)")
        }
        let attached = try run(["attach", "skip"])
        #expect(attached.status == 0, "\(attached)")
        let lines = attached.stderr.split(separator: "\n").map(String.init)
        // portabled skips unusable entries silently (berthd logs them): the change list ends the output.
        #expect(lines.last == "Created symlink \(root)/etc/portables/skip \u{2192} /var/lib/portables/skip.")
        #expect(!attached.stderr.contains("skip-gone.service"), "\(attached)")
        #expect(!attached.stderr.contains("skip-dir.service"), "\(attached)")
        let removal = try run(["remove", "skip"])
        #expect(removal.status == 1, "\(removal)")
        #expect(
            removal.stderr.hasPrefix(
                "Could not remove image: Image '/var/lib/portables/skip' is not detached, refusing.\nIt is attached"
            ),
            "\(removal)"
        )
        let quiet = try run(["-q", "detach", "skip"])
        #expect(quiet.status == 0 && quiet.stderr.isEmpty, "\(quiet)")
        let json = try run(["--json=short", "attach", "skip"])
        #expect(json.status == 0 && json.stdout.contains("skip.service"), "\(json)")
        #expect(!json.stdout.contains("skip-gone.service") && !json.stdout.contains("skip-dir.service"), "\(json)")
    }

    @Test("--root: portablectl's first lines, then Berth's hint; skipped unit entries not printed")
    func inProcess() throws {
        let tree = try Self.makeTree()
        let berthctl = try CLIRunner.executable("berthctl")
        try Self.check(root: tree.root) { try CLIRunner.run(berthctl, ["--root=\(tree.root)"] + $0) }
    }

    @Test("through berthd: the same lines, and the warnings travel in the reply")
    func throughTheDaemon() throws {
        let tree = try Self.makeTree()
        let daemon = try DaemonUnderTest(root: tree.root)
        try Self.check(root: tree.root) { try daemon.berthctl($0) }
    }
}
