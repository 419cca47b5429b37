import Foundation
import TestSupport
import Testing

/// The race-free idle exit, with systemd's part played by `ActivationHarness`: it holds the
/// listening socket, starts berthd with it (LISTEN_FDS), and starts berthd again whenever it
/// has exited and a client is waiting. A client calls Ping over and over, pausing around the
/// idle timeout so that many calls land exactly while berthd decides to exit. Every call must
/// be answered: a connection that arrives after the decision stays in the backlog for the next
/// berthd, and none is accepted and then dropped.
@Suite("Socket activation and exit on idle")
struct SocketActivationTests {
    @Test("≥ 50 idle exits under a connect-and-Ping loop: 0 failed calls, every exit clean")
    func idleExitUnderLoad() throws {
        let berthd = try SystemdDaemonProcess.builtExecutable("berthd")
        let socketPath = NSTemporaryDirectory() + "berthd-activation-\(UUID().uuidString.prefix(8))"
        // An empty offline root: io.berth.Portable never looks at this host's unit directories.
        let root = socketPath + ".root"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let harness = try ActivationHarness(
            executable: berthd,
            arguments: ["--idle-timeout=0.1", "--log-target=console", "--log-level=warning", "--root=\(root)"],
            socketPath: socketPath
        )
        harness.start()
        // Pauses in milliseconds, cycling around the 100 ms idle timeout: some calls arrive while
        // berthd runs, some right at its exit decision, some after it has gone.
        let pauses: [UInt32] = [0, 0, 60, 95, 100, 105, 110, 0, 90, 98, 102, 130, 160, 0]
        var calls = 0
        var failures: [String] = []
        let deadline = Date().addingTimeInterval(45)
        var step = 0
        while harness.startCount < 51 || calls < 200 {
            guard Date() < deadline else {
                failures.append("gave up after 45 s: \(harness.startCount) starts, \(calls) calls")
                break
            }
            let outcome = ActivationPingClient.call(path: socketPath, method: "io.systemd.service.Ping")
            calls += 1
            if !outcome.isSuccess { failures.append("call \(calls): \(outcome)") }
            usleep(pauses[step % pauses.count] * 1000)
            step += 1
        }
        let report = harness.stop()
        #expect(failures.isEmpty, "\(failures.count) of \(calls) calls failed: \(failures.prefix(5))")
        #expect(report.starts >= 51, "only \(report.starts) starts (\(report.starts - 1) idle exits)")
        #expect(report.abnormalExits.isEmpty, "\(report.abnormalExits.prefix(5))")
    }
}
