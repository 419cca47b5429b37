import Foundation
import TestSupport
import Testing

/// berthd itself with `--bus`: the name is served next to the Varlink socket, and idle exit waits
/// for both buses to be quiet.
@Suite(.serialized)
struct DaemonBusTests {
    @Test func berthdServesTheNameAndExitsWhenBothBusesAreIdle() throws {
        let harness = try BusHarness(inProcess: false)
        defer { harness.stop() }
        harness.makeImage("demo_1")
        let varlink = harness.temp.join("io.berth.Portable")
        let berthd = Process()
        berthd.executableURL = URL(fileURLWithPath: try CLIRunner.executable("berthd"))
        berthd.arguments = [
            "--root=\(harness.root)", "--listen=unix:\(varlink)", "--bus", "--idle-timeout=2", "--log-target=console",
            "--profile-directory=\(RepositoryLayout.profilesDirectory)",
        ]
        berthd.environment = harness.environment
        try berthd.run()
        defer { if berthd.isRunning { kill(berthd.processIdentifier, SIGKILL) } }

        let call =
            ["call", "org.freedesktop.portable1", "/org/freedesktop/portable1"]
            + ["org.freedesktop.portable1.Manager", "ListImages"]
        var listed = try harness.busctl(call)
        let deadline = Date().addingTimeInterval(10)
        while listed.status != 0 && Date() < deadline {
            usleep(50_000)
            listed = try harness.busctl(call)
        }
        #expect(listed.stdout.contains("\"demo_1\" \"directory\""), "\(listed)")

        // A Varlink client that stays connected keeps both doors open past the idle timeout.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        holder.arguments = [
            "-c", "import socket,sys,time; s=socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); time.sleep(4)",
            varlink,
        ]
        try holder.run()
        usleep(3_000_000)
        #expect(berthd.isRunning, "berthd exited while a Varlink client was connected")
        holder.waitUntilExit()

        let started = Date()
        berthd.waitUntilExit()
        #expect(berthd.terminationStatus == 0)
        #expect(Date().timeIntervalSince(started) < 8)
        let owner = try harness.busctl(["status", "org.freedesktop.portable1"])
        #expect(owner.status != 0, "the name is still owned after idle exit: \(owner)")
    }
}
