import Foundation
import TestSupport
import Testing

/// berthctl against a real berthd (spawned with --listen and --root on a temp tree): the same verbs
/// through the generated client over Varlink, with the same output as in --root mode.
@Suite("berthctl via berthd")
struct BerthctlDaemonTests {
    @Test func verbsWorkThroughTheDaemon() throws {
        let berthctl = try CLIRunner.executable("berthctl")
        let tree = try CLITestTree()
        try tree.makeImage("demo_1.0", units: DemoUnits.standard)
        let socket = tree.root + ".sock"
        let daemon = Process()
        daemon.executableURL = URL(fileURLWithPath: try CLIRunner.executable("berthd"))
        daemon.arguments = ["--listen=unix:\(socket)", "--root=\(tree.root)", "--idle-timeout=0", "--no-pid1"]
        daemon.standardOutput = FileHandle.nullDevice
        daemon.standardError = FileHandle.nullDevice
        try daemon.run()
        defer {
            daemon.terminate()
            daemon.waitUntilExit()
            try? FileManager.default.removeItem(atPath: socket)
        }
        // Readiness: the socket file appears once berthd listens (bounded wait, not a timing assertion).
        var attempts = 0
        while !FileManager.default.fileExists(atPath: socket), daemon.isRunning, attempts < 2000 {
            usleep(5000)
            attempts += 1
        }
        try #require(FileManager.default.fileExists(atPath: socket), "berthd did not start listening")

        func run(_ arguments: String...) throws -> CLIResult {
            try CLIRunner.run(berthctl, ["--address=\(socket)"] + arguments)
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
