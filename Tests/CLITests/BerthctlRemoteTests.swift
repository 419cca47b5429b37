import BerthCLI
import Foundation
import TestSupport
import Testing
import Varlink

/// `-H/--host=` and `-M/--machine=`: parsing as portablectl parses them, and the failures with real
/// ssh, a real dbus-daemon without machined, and berthctl as a subprocess. (The lab's e2e check runs
/// the successful cases against berthd on a real host and in a real container.)
@Suite("berthctl -H/-M")
struct BerthctlRemoteTests {
    let berthctl: String

    init() throws {
        berthctl = try CLIRunner.executable("berthctl")
    }

    private func remote(_ arguments: [String]) throws -> RemoteTarget? {
        guard case .run(let parsed) = try CommandLineParser.parse(arguments) else {
            Issue.record("\(arguments) did not parse to a verb")
            return nil
        }
        return parsed.global.remote
    }

    @Test("-H and -M select the target; the last one wins; -M .host is this machine")
    func parsing() throws {
        #expect(try remote(["-H", "root@example.org", "list"]) == .host("root@example.org"))
        #expect(try remote(["list", "--host=example.org"]) == .host("example.org"))
        #expect(try remote(["-Mct", "list"]) == .machine("ct"))
        #expect(try remote(["-M", "ct", "-H", "h", "list"]) == .host("h"))
        #expect(try remote(["-H", "h", "--machine=ct", "list"]) == .machine("ct"))
        #expect(try remote(["-M", ".host", "list"]) == nil)
    }

    @Test("--root with -H or -M is a usage error that names both")
    func rootRefused() throws {
        for line in [["--root=/srv", "-H", "h", "list"], ["-M", "ct", "--root", "/srv", "list"]] {
            let result = try CLIRunner.run(berthctl, line)
            #expect(result.status == 1, "\(result)")
            #expect(result.stderr.hasPrefix("--root= cannot be combined with -H/--host= or -M/--machine="), "\(result)")
        }
    }

    @Test("image and profile paths are refused before connecting, in portablectl's words")
    func pathsRefusedRemotely() throws {
        let result = try CLIRunner.run(berthctl, ["-H", "root@192.0.2.1", "attach", "./app_1.raw"])
        #expect(result.status == 1, "\(result)")
        #expect(
            result.stderr.hasPrefix("Operations on images by path not supported when connecting to remote systems.\n"),
            "\(result)"
        )
        let profile = try CLIRunner.run(berthctl, ["-M", "ct", "attach", "--profile=./mine", "app"])
        #expect(profile.status == 1, "\(profile)")
        #expect(profile.stderr.hasPrefix("Relative profile path './mine' not supported"), "\(profile)")
    }

    @Test("ssh failing: ssh's own message, then which host and what to check; an ssh too old for -W refused")
    func sshFailure() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/ssh") else {
            print("skipped: no /usr/bin/ssh on this machine")
            return
        }
        let result = try CLIRunner.run(berthctl, ["-H", "root@berth-test.invalid", "list"])
        #expect(result.status == 1, "\(result)")
        if SSHTransport.forwardsToSockets {
            #expect(result.stderr.contains("berth-test.invalid"), "\(result)")
            #expect(
                result.stderr.contains("Failed to talk to berthd on host 'root@berth-test.invalid' over ssh: "),
                "\(result)"
            )
            #expect(result.stderr.contains("'ssh root@berth-test.invalid true' checks the ssh part."), "\(result)")
        } else {
            // OpenSSH before 9.4 would log in and wait: refused at once, before ssh runs (the lab's
            // e2e check covers the failure texts with a newer ssh).
            print("this machine's ssh is older than OpenSSH 9.4: checking the refusal")
            #expect(
                result.stderr.contains("-H needs OpenSSH 9.4 or newer on this machine (ssh -W to a socket)"),
                "\(result)"
            )
        }
        let option = try CLIRunner.run(berthctl, ["-H", "-oProxyCommand=x", "list"])
        #expect(option.status == 1, "\(option)")
        #expect(option.stderr.contains("Invalid host '-oProxyCommand=x'"), "\(option)")
    }

    @Test("-M without a system bus, and with a bus but no machined: which part is missing")
    func machinedUnreachable() throws {
        let directory = TempDirectory()
        let missing = try CLIRunner.run(
            berthctl,
            ["-M", "ct", "list"],
            environment: ["DBUS_SYSTEM_BUS_ADDRESS": "unix:path=\(directory.join("none"))"]
        )
        #expect(missing.status == 1, "\(missing)")
        #expect(
            missing.stderr.contains(
                "Failed to connect to machine 'ct': cannot reach systemd-machined on the system bus"
            ),
            "\(missing)"
        )
        let socket = directory.join("bus")
        let configuration = """
            <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
             "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
            <busconfig><type>system</type><listen>unix:path=\(socket)</listen><auth>EXTERNAL</auth>
            <policy context="default"><allow user="*"/><allow own="*"/><allow send_destination="*"/>
            <allow receive_sender="*"/></policy></busconfig>
            """
        try Data(configuration.utf8).write(to: URL(fileURLWithPath: directory.join("bus.conf")))
        let daemon = Process()
        daemon.executableURL = URL(fileURLWithPath: "/usr/bin/dbus-daemon")
        daemon.arguments = ["--config-file=\(directory.join("bus.conf"))", "--nofork", "--nopidfile"]
        try daemon.run()
        defer {
            daemon.interrupt()
            kill(daemon.processIdentifier, SIGKILL)
            daemon.waitUntilExit()
        }
        guard ListeningSocket.waitUntilAccepting(socket, while: { daemon.isRunning }) else {
            throw CLIFailure("dbus-daemon did not start")
        }
        let noMachined = try CLIRunner.run(
            berthctl,
            ["-M", "ct", "list"],
            environment: ["DBUS_SYSTEM_BUS_ADDRESS": "unix:path=\(socket)"]
        )
        #expect(noMachined.status == 1, "\(noMachined)")
        #expect(
            noMachined.stderr.contains("Failed to connect to machine 'ct': systemd-machined is not running."),
            "\(noMachined)"
        )
    }
}

struct CLIFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
