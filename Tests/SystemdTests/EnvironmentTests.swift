import Foundation
import SystemCalls
import TestSupport
import Testing

@testable import Systemd

/// Tests that set process-wide variables (LISTEN_*, NOTIFY_SOCKET) run one after another.
@Suite("Socket activation and notification variables", .serialized)
struct EnvironmentTests {
    private func clearActivation() {
        for name in ["LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES"] { unsetenv(name) }
    }

    @Test("not socket-activated: no sockets, no error")
    func notActivated() throws {
        clearActivation()
        #expect(try ListenFDs.adopt() == ListenFDs(sockets: []))
    }

    @Test("fds meant for another PID are refused with both PIDs named")
    func foreignPID() {
        clearActivation()
        defer { clearActivation() }
        setenv("LISTEN_FDS", "1", 1)
        setenv("LISTEN_PID", "\(getpid() + 1)", 1)
        #expect(throws: SystemdError.listenPIDMismatch(listenPID: "\(getpid() + 1)", ownPID: getpid())) {
            try ListenFDs.adopt()
        }
    }

    @Test(
        "malformed variables are reported, not guessed",
        arguments: [("LISTEN_FDS", "x"), ("LISTEN_FDS", "-1"), ("LISTEN_PID", "0"), ("LISTEN_PID", "abc")]
    )
    func malformed(variable: String, value: String) {
        clearActivation()
        defer { clearActivation() }
        setenv("LISTEN_FDS", "1", 1)
        setenv("LISTEN_PID", "\(getpid())", 1)
        setenv(variable, value, 1)
        do {
            _ = try ListenFDs.adopt()
            Issue.record("accepted \(variable)=\(value)")
        } catch {
            guard case .invalidEnvironment(let name, let got, _) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(name == variable)
            #expect(got == value)
        }
    }

    @Test("LISTEN_FDS=0 is rejected as libsystemd rejects it, and the variables are removed all the same")
    func zeroFDs() {
        clearActivation()
        setenv("LISTEN_FDS", "0", 1)
        setenv("LISTEN_PID", "\(getpid())", 1)
        #expect(throws: SystemdError.self) { try ListenFDs.adopt() }
        #expect(getenv("LISTEN_FDS") == nil)
        #expect(getenv("LISTEN_PID") == nil)
    }

    @Test("READY, STATUS, STOPPING, MAINPID and WATCHDOG arrive on NOTIFY_SOCKET as sd_notify sends them")
    func notifications() throws {
        let path = NSTemporaryDirectory() + "berth-notify-\(UUID().uuidString.prefix(8))"
        let listener = try SystemdNotifyListener(path: path)
        setenv("NOTIFY_SOCKET", path, 1)
        defer { unsetenv("NOTIFY_SOCKET") }
        #expect(Notify.isAvailable)
        #expect(try Notify.ready(status: "Serving 1 socket(s)"))
        #expect(listener.receive() == "READY=1\nSTATUS=Serving 1 socket(s)")
        #expect(try Notify.status("line one\nline two"))
        #expect(listener.receive() == "STATUS=line one line two")
        #expect(try Notify.stopping())
        #expect(listener.receive() == "STOPPING=1")
        #expect(try Notify.mainPID(1234))
        #expect(listener.receive() == "MAINPID=1234")
        #expect(try Notify.watchdog())
        #expect(listener.receive() == "WATCHDOG=1")
        #expect(try Notify.reloading())
        let reloading = try #require(listener.receive())
        #expect(reloading.hasPrefix("RELOADING=1\nMONOTONIC_USEC="))
        #expect(throws: SystemdError.invalidArgument("notification contains a NUL byte")) {
            try Notify.send("READY=1\u{0}")
        }
    }

    @Test("without NOTIFY_SOCKET nothing is sent and nothing fails")
    func noNotifySocket() throws {
        unsetenv("NOTIFY_SOCKET")
        #expect(!Notify.isAvailable)
        #expect(try Notify.ready() == false)
        #expect(try Notify.stopping(status: "bye") == false)
        #expect(Notify.watchdogInterval == nil)
    }

    @Test("a NOTIFY_SOCKET where nobody listens is an error naming sd_notify")
    func deadNotifySocket() {
        let path = NSTemporaryDirectory() + "berth-notify-dead-\(UUID().uuidString.prefix(8))"
        setenv("NOTIFY_SOCKET", path, 1)
        defer { unsetenv("NOTIFY_SOCKET") }
        do {
            _ = try Notify.ready()
            Issue.record("sending to a missing socket succeeded")
        } catch {
            guard case .systemCall(let call) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(call.call == "sd_notify")
            #expect(call.errno == ENOENT || call.errno == ECONNREFUSED)
        }
    }
}
