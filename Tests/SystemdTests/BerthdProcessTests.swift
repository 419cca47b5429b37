import Foundation
import TestSupport
import Testing

/// The built `berthd` as a child process: command line, sockets, io.systemd.service, notification, SIGTERM.
@Suite("berthd process")
struct BerthdProcessTests {
    private let environment = ["PATH=/usr/bin:/bin"]

    private func scratchPath(_ name: String) -> String {
        NSTemporaryDirectory() + "berthd-\(name)-\(UUID().uuidString.prefix(8))"
    }

    /// An empty offline root, so the daemon's io.berth.Portable never looks at this host's own
    /// unit directories.
    private func offlineRoot() throws -> String {
        let path = scratchPath("root")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test("--help and --version exit 0")
    func helpAndVersion() throws {
        let berthd = try SystemdDaemonProcess.builtExecutable("berthd")
        let help = try SystemdDaemonProcess.run(berthd, ["--help"], environment: environment)
        #expect(help.0 == 0)
        let version = try SystemdDaemonProcess.run(berthd, ["--version"], environment: environment)
        #expect(version.0 == 0)
    }

    @Test(
        "a broken command line exits 2 with a message naming the option",
        arguments: [
            (["--idle-timeout=abc"], "invalid --idle-timeout=abc"),
            (["--idle-timeout=-1"], "invalid --idle-timeout=-1"),
            (["--log-level=loud"], "invalid --log-level=loud"),
            (["--log-target=syslog"], "invalid --log-target=syslog"),
            (["--root=relative"], "invalid --root=relative"),
            (["--listen"], "--listen: needs a value"),
            (["--frobnicate"], "--frobnicate: unknown option"),
            (["--no-pid1=yes"], "--no-pid1: takes no value"),
            (["--recover=now"], "--recover: takes no value"),
            (["--listen=tcp:1.2.3.4"], "invalid --listen=tcp:1.2.3.4"),
            (
                ["--listen=unix:/tmp/x", "--group=berth-no-such-group-x"],
                "invalid --group=berth-no-such-group-x: no such group"
            ),
        ]
    )
    func brokenCommandLine(arguments: [String], message: String) throws {
        let berthd = try SystemdDaemonProcess.builtExecutable("berthd")
        let (code, stderr) = try SystemdDaemonProcess.run(
            berthd,
            ["--log-target=console"] + arguments,
            environment: environment
        )
        #expect(code == 2, "\(stderr)")
        #expect(stderr.contains(message), "\(stderr)")
    }

    @Test("--recover removes what an interrupted operation left, logs each step and exits 0; a clean tree is a no-op")
    func recoverOnly() throws {
        let berthd = try SystemdDaemonProcess.builtExecutable("berthd")
        let root = try offlineRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let attached = root + "/etc/systemd/system.attached"
        try FileManager.default.createDirectory(atPath: attached, withIntermediateDirectories: true)
        let leftover = attached + "/.#berth-intent-tmp.0123456789abcdef.demo"
        try Data("half-written".utf8).write(to: URL(fileURLWithPath: leftover))
        let arguments = ["--log-target=console", "--recover", "--root=\(root)"]
        var (code, stderr) = try SystemdDaemonProcess.run(berthd, arguments, environment: environment)
        #expect(code == 0, "\(stderr)")
        #expect(stderr.contains("recovery: Removed leftover \(leftover)."), "\(stderr)")
        #expect(!FileManager.default.fileExists(atPath: leftover))
        (code, stderr) = try SystemdDaemonProcess.run(berthd, arguments, environment: environment)
        #expect(code == 0, "\(stderr)")
        #expect(stderr.contains("recovery: nothing to do"), "\(stderr)")
    }

    @Test("without sockets berthd exits 1 and says how to start it")
    func noSockets() throws {
        let berthd = try SystemdDaemonProcess.builtExecutable("berthd")
        let root = try offlineRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (code, stderr) = try SystemdDaemonProcess.run(
            berthd,
            ["--log-target=console", "--root=\(root)"],
            environment: environment
        )
        #expect(code == 1)
        #expect(stderr.contains("no sockets"), "\(stderr)")
        #expect(stderr.contains("berthd.socket"), "\(stderr)")
    }

    @Test("LISTEN_FDS for another PID is refused with both PIDs in the message")
    func foreignListenPID() throws {
        let berthd = try SystemdDaemonProcess.builtExecutable("berthd")
        let root = try offlineRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (code, stderr) = try SystemdDaemonProcess.run(
            berthd,
            ["--log-target=console", "--root=\(root)"],
            environment: environment + ["LISTEN_FDS=1", "LISTEN_PID=1"]
        )
        #expect(code == 1)
        #expect(stderr.contains("LISTEN_FDS is set for PID 1"), "\(stderr)")
    }

    @Test("a passed fd that is not a listening socket is ignored with a warning")
    func passedNonSocket() throws {
        let berthd = try SystemdDaemonProcess.builtExecutable("berthd")
        let root = try offlineRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        // fd 3 is /dev/null in the child: the shell opens it, exports its PID, execs berthd.
        let (code, stderr) = try SystemdDaemonProcess.run(
            "/bin/sh",
            ["-c", "export LISTEN_PID=$$; exec \"$0\" --log-target=console --root=\"$1\" 3</dev/null", berthd, root],
            environment: environment + ["LISTEN_FDS=1", "LISTEN_FDNAMES=varlink"]
        )
        #expect(code == 1)
        #expect(stderr.contains("not an AF_UNIX stream socket"), "\(stderr)")
        #expect(stderr.contains("none of the 1 passed fds"), "\(stderr)")
    }

    @Test(
        "a passed connected socket (varlink call exec:, as varlinkctl does) is served, and berthd exits when it closes"
    )
    func passedConnection() throws {
        let berthd = try SystemdDaemonProcess.builtExecutable("berthd")
        let varlink = try SystemdDaemonProcess.builtExecutable("varlink")
        let root = try offlineRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let address = "exec:\(berthd) --root=\(root) --log-target=console --log-level=error"
        let result = try CLIRunner.run(varlink, ["call", address, "io.berth.Portable.ListImages", "{}"])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("\"images\""), "\(result)")
        // The daemon was the varlink CLI's child: it must go once its only connection closed, not wait
        // out its 30 s idle timeout (bounded wait for the exit itself, not a timing assertion).
        var survivors = ""
        for _ in 0..<200 {
            survivors = try CLIRunner.run("/usr/bin/pgrep", ["-f", "berthd --root=\(root)"]).stdout
            if survivors.isEmpty { break }
            usleep(10_000)
        }
        #expect(survivors.isEmpty, "berthd still running: \(survivors)")
    }

    @Test("--listen serves io.systemd.service and org.varlink.service; READY=1 first, STOPPING=1 and exit 0 on SIGTERM")
    func listenServeAndTerminate() throws {
        let berthd = try SystemdDaemonProcess.builtExecutable("berthd")
        let socket = scratchPath("sock")
        let root = try offlineRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let notify = try SystemdNotifyListener(path: scratchPath("notify"))
        let daemon = try SystemdDaemonProcess(
            executable: berthd,
            arguments: ["--listen=unix:\(socket)", "--idle-timeout=0", "--log-target=console", "--root=\(root)"],
            environment: environment + ["NOTIFY_SOCKET=\(notify.path)", "BERTH_TEST_MARKER=visible"]
        )
        defer { unlink(socket) }
        let startup = notify.receive(until: "READY=1")
        try #require(startup.last?.contains("READY=1") == true, "no READY=1; stderr: \(daemon.stderrText)")
        #expect(startup.last?.contains("STATUS=Serving 1 socket(s)") == true)

        #expect(ActivationPingClient.call(path: socket, method: "io.systemd.service.Ping").isSuccess)
        let info = ActivationPingClient.call(path: socket, method: "org.varlink.service.GetInfo")
        #expect(info.description.contains("\"product\":\"berthd\""), "\(info)")
        #expect(info.description.contains("io.systemd.service"), "\(info)")
        let description = ActivationPingClient.call(
            path: socket,
            method: "org.varlink.service.GetInterfaceDescription",
            parametersJSON: "{\"interface\":\"io.systemd.service\"}"
        )
        #expect(description.description.contains("method SetLogLevel("), "\(description)")
        #expect(description.description.contains("error InconsistentEnvironment"), "\(description)")

        let environmentReply = ActivationPingClient.call(path: socket, method: "io.systemd.service.GetEnvironment")
        #expect(environmentReply.description.contains("\"BERTH_TEST_MARKER=visible\""), "\(environmentReply)")
        #expect(
            ActivationPingClient.call(
                path: socket,
                method: "io.systemd.service.SetLogLevel",
                parametersJSON: "{\"level\":7}"
            )
            .isSuccess
        )
        for bad in ["{\"level\":99}", "{\"level\":\"debug\"}", "{}", "{\"level\":null}"] {
            let reply = ActivationPingClient.call(
                path: socket,
                method: "io.systemd.service.SetLogLevel",
                parametersJSON: bad
            )
            #expect(reply.description.contains("org.varlink.service.InvalidParameter"), "\(bad): \(reply)")
        }
        let extra = ActivationPingClient.call(
            path: socket,
            method: "io.systemd.service.Ping",
            parametersJSON: "{\"x\":1}"
        )
        #expect(extra.description.contains("org.varlink.service.InvalidParameter"), "\(extra)")
        let unknown = ActivationPingClient.call(path: socket, method: "io.systemd.service.Frobnicate")
        #expect(unknown.description.contains("org.varlink.service.MethodNotFound"), "\(unknown)")

        daemon.signal(SIGTERM)
        #expect(daemon.exitCode() == 0, "\(daemon.stderrText)")
        let shutdown = notify.receive(until: "STOPPING=1", milliseconds: 5000)
        #expect(shutdown.last?.contains("STOPPING=1") == true, "\(shutdown)")
    }

    @Test("libsystemd is loaded on first use: not for serving --listen, and by the READY=1 notification")
    func libsystemdLoadedOnFirstUse() throws {
        let berthd = try SystemdDaemonProcess.builtExecutable("berthd")
        let root = try offlineRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        for notifies in [false, true] {
            let socket = scratchPath("lazy")
            let notify = try SystemdNotifyListener(path: scratchPath("notify"))
            let daemon = try SystemdDaemonProcess(
                executable: berthd,
                arguments: ["--listen=unix:\(socket)", "--idle-timeout=0", "--log-target=console", "--root=\(root)"],
                environment: environment + (notifies ? ["NOTIFY_SOCKET=\(notify.path)"] : [])
            )
            defer { unlink(socket) }
            // Bounded wait for the bind (not a timing assertion); with NOTIFY_SOCKET, READY=1 comes after it.
            for _ in 0..<500 where access(socket, F_OK) != 0 { usleep(10_000) }
            if notifies { _ = notify.receive(until: "READY=1") }
            let info = ActivationPingClient.call(path: socket, method: "org.varlink.service.GetInfo")
            #expect(info.description.contains("\"product\":\"berthd\""), "\(info) \(daemon.stderrText)")
            // Read to the end: String(contentsOfFile:) stops short on /proc, whose files have no size.
            let mapsFile = try FileHandle(forReadingFrom: URL(fileURLWithPath: "/proc/\(daemon.pid)/maps"))
            let maps = String(decoding: try mapsFile.readToEnd() ?? Data(), as: UTF8.self)
            #expect(maps.contains("libsystemd.so") == notifies, "NOTIFY_SOCKET set: \(notifies)\n\(maps)")
            daemon.signal(SIGTERM)
            #expect(daemon.exitCode() == 0, "\(daemon.stderrText)")
        }
    }

    @Test("--idle-timeout exits 0 after the idle period with no connection")
    func idleExit() throws {
        let berthd = try SystemdDaemonProcess.builtExecutable("berthd")
        let socket = scratchPath("idle")
        let root = try offlineRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let notify = try SystemdNotifyListener(path: scratchPath("notify"))
        let daemon = try SystemdDaemonProcess(
            executable: berthd,
            arguments: [
                "--listen=unix:\(socket)", "--idle-timeout=0.2", "--log-target=console", "--log-level=debug",
                "--root=\(root)",
            ],
            environment: environment + ["NOTIFY_SOCKET=\(notify.path)"]
        )
        defer { unlink(socket) }
        #expect(daemon.exitCode() == 0, "\(daemon.stderrText)")
        let messages = notify.receive(until: "STOPPING=1", milliseconds: 5000)
        #expect(messages.first?.contains("READY=1") == true, "\(messages)")
        #expect(messages.last == "STOPPING=1\nSTATUS=Idle, exiting", "\(messages)")
    }
}
