import Foundation
import TestSupport
import Testing

/// berthctl against a real berthd (spawned with --listen and --root on a temp tree): the same verbs
/// through the generated client over Varlink, with the same output as in --root mode.
@Suite("berthctl via berthd")
struct BerthctlDaemonTests {
    @Test func verbsWorkThroughTheDaemon() throws {
        let tree = try CLITestTree()
        try tree.makeImage("demo_1.0", units: DemoUnits.standard)
        let daemon = try DaemonUnderTest(root: tree.root)

        func run(_ arguments: String...) throws -> CLIResult {
            try daemon.berthctl(arguments)
        }
        var result = try run("list")
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.hasPrefix("NAME"), "\(result)")
        #expect(result.stdout.contains("demo_1.0 directory no"), "\(result)")

        result = try run("attach", "demo_1.0")
        #expect(result.status == 0, "\(result)")
        #expect(
            result.stderr.contains("Written \(tree.root)/etc/systemd/system.attached/demo.service.d/20-portable.conf.")
        )
        #expect(tree.exists("/etc/systemd/system.attached/demo.socket"))

        result = try run("is-attached", "demo_1.0")
        #expect(result.status == 0 && result.stdout == "attached\n", "\(result)")

        result = try run("inspect", "demo_1.0")
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("Unit files:\n\tdemo.service\n\tdemo.socket\n"), "\(result)")

        result = try run("--json=short", "profiles")
        #expect(result.status == 0 && result.stdout.contains("\"default\""), "\(result)")

        result = try run("detach", "demo_1.0")
        #expect(result.status == 0, "\(result)")
        #expect(try run("is-attached", "-q", "demo_1.0").status == 1)

        result = try run("is-attached", "ghost")
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("No image 'ghost' found."), "\(result)")
    }
}
