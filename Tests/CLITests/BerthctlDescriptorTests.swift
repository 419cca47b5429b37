import Foundation
import TestSupport
import Testing

/// `NAME.portable` descriptors and `--profile=PATH`, through berthctl `--root` (the in-process service,
/// the same engine berthd runs) against real trees.
@Suite("berthctl descriptors and profile paths")
struct BerthctlDescriptorTests {
    let berthctl: String

    init() throws {
        berthctl = try CLIRunner.executable("berthctl")
    }

    func run(_ arguments: String..., in directory: String? = nil) throws -> CLIResult {
        try CLIRunner.run(berthctl, arguments, currentDirectory: directory)
    }

    private let attached = "/etc/systemd/system.attached"

    @Test("a descriptor attaches, reattaches to a new version and detaches as one service")
    func descriptorLifecycle() throws {
        let tree = try CLITestTree()
        try tree.makeImage("app_1", in: "/srv/app", units: DemoUnits.standard.renamed("demo", to: "app"))
        try tree.makeImage("app_2", in: "/srv/app", units: ["app.service": DemoUnits.service])
        try tree.write("service.conf", to: "/srv/app/profile/service.conf")
        try tree.write("[Portable]\nImage=app_1\nProfile=./profile\n", to: "/srv/app/app.portable")

        let attach = try run("--root=\(tree.root)", "attach", "./app.portable", in: tree.root + "/srv/app")
        #expect(attach.status == 0, "\(attach)")
        #expect(!attach.stderr.contains("Matching unit files"), "the descriptor names the image: \(attach)")
        #expect(tree.exists("\(attached)/app.service") && tree.exists("\(attached)/app.socket"))
        let dropIn = try tree.read("\(attached)/app.service.d/20-portable.conf")
        #expect(dropIn.contains("RootDirectory=/srv/app/app_1\n"), "\(dropIn)")
        // The profile path is linked like a named profile's file (inside the tree: a symlink).
        let profileLink = try FileManager.default.destinationOfSymbolicLink(
            atPath: tree.root + "\(attached)/app.service.d/10-profile.conf"
        )
        #expect(profileLink == "/srv/app/profile/service.conf")
        #expect(try run("--root=\(tree.root)", "is-attached", "/srv/app/app.portable").stdout == "attached\n")

        // An update is one edit and one reattach of the same file.
        try tree.write("[Portable]\nImage=app_2\nProfile=./profile\n", to: "/srv/app/app.portable")
        let reattach = try run("--root=\(tree.root)", "reattach", "/srv/app/app.portable")
        #expect(reattach.status == 0, "\(reattach)")
        #expect(try tree.read("\(attached)/app.service.d/20-portable.conf").contains("RootDirectory=/srv/app/app_2\n"))
        #expect(!tree.exists("\(attached)/app.socket"), "the unit the new version dropped is gone")

        // A bare "app.portable" in the current directory is that descriptor.
        let inspect = try run("--root=\(tree.root)", "inspect", "app.portable", in: tree.root + "/srv/app")
        #expect(inspect.status == 0, "\(inspect)")
        #expect(inspect.stdout.contains("app.service"), "\(inspect)")

        let detach = try run("--root=\(tree.root)", "detach", "/srv/app/app.portable")
        #expect(detach.status == 0, "\(detach)")
        #expect(!tree.exists("\(attached)/app.service"))
        #expect(try run("--root=\(tree.root)", "is-attached", "/srv/app/app.portable").stdout == "detached\n")
    }

    @Test("a bad descriptor is refused with its path and line, before anything changes")
    func badDescriptor() throws {
        let tree = try CLITestTree()
        try tree.makeImage("app_1", units: ["app.service": DemoUnits.service])
        let cases: [(String, String)] = [
            (
                "[Portable]\nImage=/var/lib/portables/app_1\nCopy=sideways\n",
                ":3: Copy= must be auto, copy, symlink or mixed"
            ),
            ("# comment\n[Portable]\nImage=a\nImage=b\n", ":4: Image= is set twice"),
            (
                "Image=/var/lib/portables/app_1\n",
                ":1: a line outside the [Portable] section"
            ),
            ("[Portable]\nImage=/x\nRootHash=abc\n", ":3: unknown key 'RootHash='"),
            ("[Service]\n", ":1: unknown section, expected [Portable]"),
            ("[Portable]\nProfile=trusted\n", ": no Image= in [Portable]"),
            ("[Portable]\nImage=../../../../../x\n", ":2: '../../../../../x' leads above /"),
        ]
        for (text, expected) in cases {
            try tree.write(text, to: "/srv/bad.portable")
            let result = try run("--root=\(tree.root)", "attach", "/srv/bad.portable")
            #expect(result.status == 1, "\(text): \(result)")
            #expect(result.stderr.contains("/srv/bad.portable\(expected)"), "\(text): \(result)")
            #expect(result.stderr.contains("See man 5 berth.portable"), "\(text): \(result)")
        }
        #expect(!tree.exists(attached), "nothing was attached")
        // A descriptor that is a symlink is never followed: berthd reads descriptors for every caller of
        // InspectImage, and would otherwise read (and quote) files that caller cannot.
        try FileManager.default.createSymbolicLink(
            atPath: tree.root + "/srv/shadow.portable",
            withDestinationPath: "/etc/shadow"
        )
        try tree.write("SECRET-LINE\n", to: "/etc/shadow")
        let link = try run("--root=\(tree.root)", "inspect", "/srv/shadow.portable")
        #expect(link.status == 1, "\(link)")
        #expect(link.stderr.contains("/srv/shadow.portable: is a symbolic link, refusing"), "\(link)")
        #expect(!link.stderr.contains("SECRET"), "\(link)")
    }

    @Test("--profile=PATH: a directory profile, a one-file profile, and clear refusals naming the path")
    func profilePaths() throws {
        let tree = try CLITestTree()
        try tree.makeImage("demo_1", units: DemoUnits.standard)
        try tree.write("[Service]\nPrivateNetwork=yes\n", to: "/srv/one.conf")
        let file = try run("--root=\(tree.root)", "attach", "--profile=/srv/one.conf", "demo_1")
        #expect(file.status == 0, "\(file)")
        #expect(
            try FileManager.default.destinationOfSymbolicLink(
                atPath: tree.root + "\(attached)/demo.service.d/10-profile.conf"
            ) == "/srv/one.conf"
        )
        #expect(!tree.exists("\(attached)/demo.socket.d/10-profile.conf"), "a one-file profile is for services")
        #expect(try run("--root=\(tree.root)", "detach", "-q", "demo_1").status == 0)

        try tree.write("[Service]\nPrivateTmp=yes\n", to: "/srv/prof/service.conf")
        let copied = try run("--root=\(tree.root)", "attach", "--copy=copy", "-p", "/srv/prof", "demo_1")
        #expect(copied.status == 0, "\(copied)")
        #expect(try tree.read("\(attached)/demo.service.d/10-profile.conf") == "[Service]\nPrivateTmp=yes\n")
        #expect(try run("--root=\(tree.root)", "detach", "-q", "demo_1").status == 0)

        try tree.write("nothing", to: "/srv/empty/README")
        let refusals: [(String, String)] = [
            ("/srv/missing", "Profile '/srv/missing' does not exist, refusing."),
            ("/srv/empty", "Profile '/srv/empty': the directory holds no *.conf file"),
        ]
        for (profile, expected) in refusals {
            let result = try run("--root=\(tree.root)", "attach", "--profile=\(profile)", "demo_1")
            #expect(result.status == 1, "\(profile): \(result)")
            #expect(result.stderr.contains(expected), "\(profile): \(result)")
            #expect(!tree.exists("\(attached)/demo.service"), "\(profile)")
        }
    }
}

extension Dictionary where Key == String, Value == String {
    /// The same units under another name prefix.
    fileprivate func renamed(_ old: String, to new: String) -> [String: String] {
        Dictionary(uniqueKeysWithValues: map { (key, value) in (new + key.dropFirst(old.count), value) })
    }
}
