import Foundation
import TestSupport
import Testing

/// berthctl run as a subprocess in `--root` mode: outputs, exit codes and files, against real trees.
@Suite("berthctl --root")
struct BerthctlRootTests {
    let berthctl: String

    init() throws {
        berthctl = try CLIRunner.executable("berthctl")
    }

    func run(_ arguments: String...) throws -> CLIResult {
        try CLIRunner.run(berthctl, arguments)
    }

    @Test func listOfAnEmptyTreeSaysNoImages() throws {
        let tree = try CLITestTree()
        let result = try run("--root=\(tree.root)", "list")
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout == "No images.\n")
    }

    @Test func listPrintsATableSortedByNameWithLegend() throws {
        let tree = try CLITestTree()
        try tree.makeImage("zeta", units: ["zeta.service": DemoUnits.service])
        try tree.makeImage("alpha_1.0", units: ["alpha.service": DemoUnits.service])
        let result = try run("list", "--root", tree.root)
        #expect(result.status == 0, "\(result)")
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first?.hasPrefix("NAME") == true)
        #expect(lines.first?.split(separator: " ") == ["NAME", "TYPE", "RO", "CRTIME", "MTIME", "USAGE", "STATE"])
        #expect(lines.dropFirst().first?.hasPrefix("alpha_1.0 directory no") == true, "\(result)")
        #expect(lines.dropFirst(2).first?.hasPrefix("zeta") == true)
        #expect(lines.dropFirst(2).first?.hasSuffix("detached") == true)
        #expect(result.stdout.hasSuffix("\n2 images listed.\n"))
    }

    @Test func noLegendDropsHeaderAndFooter() throws {
        let tree = try CLITestTree()
        try tree.makeImage("alpha", units: ["alpha.service": DemoUnits.service])
        let result = try run("--root=\(tree.root)", "--no-legend", "list")
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.split(separator: "\n").count == 1)
        #expect(result.stdout.hasPrefix("alpha "))
        let empty = try CLITestTree()
        #expect(try run("--root=\(empty.root)", "list", "--no-legend").stdout == "")
    }

    @Test func attachPrintsChangesLikePortablectlAndWritesTheDropIns() throws {
        let tree = try CLITestTree()
        try tree.makeImage("demo_1.0", units: DemoUnits.standard)
        let result = try run("--root=\(tree.root)", "attach", "demo_1.0")
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout == "")
        #expect(result.stderr.hasPrefix("(Matching unit files with prefix 'demo'.)\n"), "\(result)")
        let attached = "\(tree.root)/etc/systemd/system.attached"
        #expect(result.stderr.contains("Written \(attached)/demo.service.d/20-portable.conf.\n"), "\(result)")
        #expect(
            result.stderr.contains(
                "Copied \(tree.root)/var/lib/portables/demo_1.0/usr/lib/systemd/system/demo.service \u{2192} "
                    + "\(attached)/demo.service.\n"
            ),
            "\(result)"
        )
        // The profile drop-in is linked, or copied when the profile lives outside the tree (--root).
        #expect(
            result.stderr.contains("Created symlink \(attached)/demo.service.d/10-profile.conf \u{2192} ")
                || result.stderr.contains(" \u{2192} \(attached)/demo.service.d/10-profile.conf.\n"),
            "\(result)"
        )
        #expect(tree.exists("/etc/systemd/system.attached/demo.socket"))
        let dropIn = try tree.read("/etc/systemd/system.attached/demo.service.d/20-portable.conf")
        #expect(dropIn.hasPrefix("# Drop-in created for image '/var/lib/portables/demo_1.0', do not edit.\n"))
        #expect(dropIn.contains("RootDirectory=/var/lib/portables/demo_1.0\n"))
    }

    @Test func quietAttachPrintsNothing() throws {
        let tree = try CLITestTree()
        try tree.makeImage("demo", units: DemoUnits.standard)
        let result = try run("--root=\(tree.root)", "attach", "-q", "demo")
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.isEmpty && result.stderr.isEmpty, "\(result)")
    }

    @Test func isAttachedPrintsTheStateAndQuietGivesThePureExitStatus() throws {
        let tree = try CLITestTree()
        try tree.makeImage("demo", units: DemoUnits.standard)
        var result = try run("--root=\(tree.root)", "is-attached", "demo")
        #expect(result.status == 0 && result.stdout == "detached\n", "\(result)")
        #expect(try run("--root=\(tree.root)", "is-attached", "-q", "demo").status == 1)

        #expect(try run("--root=\(tree.root)", "attach", "-q", "demo").status == 0)
        result = try run("--root=\(tree.root)", "is-attached", "demo")
        #expect(result.status == 0 && result.stdout == "attached\n", "\(result)")
        result = try run("--root=\(tree.root)", "is-attached", "-q", "demo")
        #expect(result.status == 0 && result.stdout.isEmpty, "\(result)")

        #expect(try run("--root=\(tree.root)", "detach", "-q", "demo").status == 0)
        #expect(try run("--root=\(tree.root)", "is-attached", "demo").stdout == "detached\n")
    }

    @Test func runtimeAttachIsReportedAsAttachedRuntime() throws {
        let tree = try CLITestTree()
        try tree.makeImage("demo", units: DemoUnits.standard)
        #expect(try run("--root=\(tree.root)", "attach", "--runtime", "-q", "demo").status == 0)
        #expect(tree.exists("/run/systemd/system.attached/demo.service"))
        #expect(try run("--root=\(tree.root)", "is-attached", "demo").stdout == "attached-runtime\n")
        #expect(try run("--root=\(tree.root)", "detach", "--runtime", "-q", "demo").status == 0)
        #expect(!tree.exists("/run/systemd/system.attached/demo.service"))
    }

    @Test func isAttachedOfAMissingImageIsAnError() throws {
        let tree = try CLITestTree()
        let result = try run("--root=\(tree.root)", "is-attached", "nosuchimage")
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("nosuchimage"), "\(result)")
        #expect(result.stdout.isEmpty)
    }

    @Test func detachRemovesEverythingAttachWrote() throws {
        let tree = try CLITestTree()
        try tree.makeImage("demo", units: DemoUnits.standard)
        let before = tree.snapshot()
        #expect(try run("--root=\(tree.root)", "attach", "-q", "demo").status == 0)
        let result = try run("--root=\(tree.root)", "detach", "demo")
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.contains("Removed \(tree.root)/etc/systemd/system.attached/demo.service.\n"), "\(result)")
        #expect(result.stderr.contains("Removed \(tree.root)/etc/portables/demo.\n"), "\(result)")
        // Only lock files below /run/berth stay, and the portables directory the image was linked into
        // (empty now); the emptied attached directory goes. As with portabled 257/262.
        #expect(tree.snapshot().filter { !$0.hasPrefix("run/berth") && $0 != "etc/portables" } == before)
        #expect(!tree.exists("/etc/portables/demo"))
    }

    @Test func detachOfAnImageThatIsNotAttachedFails() throws {
        let tree = try CLITestTree()
        try tree.makeImage("demo", units: DemoUnits.standard)
        let result = try run("--root=\(tree.root)", "detach", "demo")
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("demo"))
    }

    @Test func attachOfAMissingImageNamesItAndFails() throws {
        let tree = try CLITestTree()
        let result = try run("--root=\(tree.root)", "attach", "ghost")
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("ghost"), "\(result)")
    }

    @Test func attachOverAHostUnitIsRefusedWithoutForce() throws {
        let tree = try CLITestTree()
        try tree.makeImage("demo", units: DemoUnits.standard)
        try tree.write("[Service]\nExecStart=/bin/true\n", to: "/etc/systemd/system/demo.service")
        let refused = try run("--root=\(tree.root)", "attach", "-q", "demo")
        #expect(refused.status == 1, "\(refused)")
        #expect(refused.stderr.contains("demo.service"), "\(refused)")
        #expect(!tree.exists("/etc/systemd/system.attached/demo.socket"), "all or nothing")
        #expect(try run("--root=\(tree.root)", "attach", "-q", "--force", "demo").status == 0)
        #expect(tree.exists("/etc/systemd/system.attached/demo.socket"))
        // Attaching again without --force is refused too: the units now exist in system.attached.
        let again = try run("--root=\(tree.root)", "attach", "-q", "demo")
        #expect(again.status == 1, "\(again)")
        #expect(again.stderr.contains("demo."), "\(again)")
    }

    @Test func inspectShowsTheSummaryAndUnitFiles() throws {
        let tree = try CLITestTree()
        try tree.makeImage("demo_2", units: DemoUnits.standard)
        let result = try run("--root=\(tree.root)", "inspect", "demo_2")
        #expect(result.status == 0, "\(result)")
        #expect(
            result.stdout == """
                Image:
                \t/var/lib/portables/demo_2
                Portable Service:
                \tDemo service
                Operating System:
                \tDemo OS 1
                Unit files:
                \tdemo.service
                \tdemo.socket

                """,
            "\(result)"
        )
    }

    @Test func inspectCatShowsTheFileContents() throws {
        let tree = try CLITestTree()
        try tree.makeImage("demo", units: DemoUnits.standard)
        let result = try run("--root=\(tree.root)", "inspect", "--cat", "demo", "demo")
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.hasPrefix("-- OS Release: --\nID=demo\n"), "\(result)")
        #expect(result.stdout.contains("\n-- Unit file: demo.service --\n\(DemoUnits.service)"))
        #expect(result.stdout.contains("\n-- Unit file: demo.socket --\n\(DemoUnits.socket)"))
    }

    @Test func jsonOutputIsParseable() throws {
        let tree = try CLITestTree()
        try tree.makeImage("demo", units: DemoUnits.standard)
        let list = try run("--root=\(tree.root)", "--json=short", "list")
        #expect(list.status == 0, "\(list)")
        let images = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]]
        #expect(images?.first?["name"] as? String == "demo")
        #expect(images?.first?["state"] as? String == "detached")

        let attach = try run("--root=\(tree.root)", "attach", "--json=pretty", "demo")
        #expect(attach.status == 0, "\(attach)")
        #expect(attach.stderr.isEmpty, "JSON mode prints no informational lines: \(attach)")
        let reply = try JSONSerialization.jsonObject(with: Data(attach.stdout.utf8)) as? [String: Any]
        let changes = reply?["changes"] as? [[String: Any]] ?? []
        #expect(changes.contains { $0["type"] as? String == "write" })

        let state = try run("--root=\(tree.root)", "is-attached", "--json=short", "demo")
        #expect(state.stdout == "{\"image\":\"demo\",\"state\":\"attached\"}\n", "\(state)")
    }

    @Test func rootIsAcceptedAnywhereOnTheCommandLine() throws {
        let tree = try CLITestTree()
        try tree.makeImage("demo", units: DemoUnits.standard)
        let first = try run("--root", tree.root, "--no-legend", "list")
        let middle = try run("--no-legend", "list", "--root=\(tree.root)")
        #expect(first.status == 0 && middle.status == 0, "\(first)\(middle)")
        #expect(first.stdout == middle.stdout)
        let defaultVerb = try run("--root=\(tree.root)", "--no-legend")
        #expect(defaultVerb.stdout == first.stdout, "no verb means list, as for portablectl")
    }

    @Test func reattachReplacesTheOldVersion() throws {
        let tree = try CLITestTree()
        try tree.makeImage("demo_1", units: DemoUnits.standard)
        try tree.makeImage("demo_2", units: ["demo.service": DemoUnits.service])
        #expect(try run("--root=\(tree.root)", "attach", "-q", "demo_1").status == 0)
        let result = try run("--root=\(tree.root)", "reattach", "demo_2")
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.contains("Removed \(tree.root)/etc/systemd/system.attached/demo.socket."), "\(result)")
        let dropIn = try tree.read("/etc/systemd/system.attached/demo.service.d/20-portable.conf")
        #expect(dropIn.contains("RootDirectory=/var/lib/portables/demo_2\n"))
        #expect(!tree.exists("/etc/systemd/system.attached/demo.socket"))
    }

    @Test func profilesListsTheBuiltInProfiles() throws {
        let tree = try CLITestTree()
        let result = try run("--root=\(tree.root)", "profiles")
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.split(separator: "\n").contains("default"), "\(result)")
        #expect(result.stdout.split(separator: "\n").contains("trusted"), "\(result)")
    }
}
