import Foundation
import TestSupport
import Testing

/// `berthd --user --bus`: org.freedesktop.portable1 on the user's bus (a private session-type dbus-daemon
/// found through `DBUS_SESSION_BUS_ADDRESS`, as `systemd-portabled --user` and `portablectl --user` find
/// theirs), serving the user scope of an offline tree.
@Suite(.serialized)
struct UserBusTests {
    static let service = "[Service]\nExecStart=/usr/bin/app\n"

    @Test func berthdServesTheUserScopeOnTheUserBus() throws {
        let harness = try BusHarness(inProcess: false, userBus: true)
        defer { harness.stop() }
        // A user image in ~/.local/state/portables (user units) and a system image in the system's pool.
        let image = ImageTreeBuilder(root: "\(harness.root)/home/u/.local/state/portables/app")
        image.file("usr/lib/os-release", "ID=demo\nVERSION_ID=1\nPORTABLE_SCOPE=user\n")
        image.file("usr/lib/systemd/user/app.service", Self.service)
        harness.makeImage("sys_1")
        let tree = ImageTreeBuilder(root: harness.root)
        tree.directory("home/u/.config/systemd")
        tree.directory("run/user/1000/systemd")

        var environment = harness.environment
        environment["HOME"] = "/home/u"
        environment["XDG_RUNTIME_DIR"] = "/run/user/1000"
        // Nothing listens there: a berthd that took the system bus instead fails to start.
        environment["DBUS_SYSTEM_BUS_ADDRESS"] = "unix:path=\(harness.temp.join("no-system-bus"))"
        let berthd = Process()
        berthd.executableURL = URL(fileURLWithPath: try CLIRunner.executable("berthd"))
        berthd.arguments = [
            "--user", "--bus", "--root=\(harness.root)", "--listen=unix:\(harness.temp.join("io.berth.Portable"))",
            "--idle-timeout=0", "--log-target=console", "--profile-directory=\(RepositoryLayout.profilesDirectory)",
        ]
        berthd.environment = environment
        try berthd.run()
        defer { if berthd.isRunning { kill(berthd.processIdentifier, SIGKILL) } }

        let manager = ["org.freedesktop.portable1", "/org/freedesktop/portable1", "org.freedesktop.portable1.Manager"]
        func call(_ member: String, _ arguments: [String] = []) throws -> CLIResult {
            try harness.busctl(["call"] + manager + [member] + arguments)
        }
        var listed = try call("ListImages")
        let deadline = Date().addingTimeInterval(10)
        while listed.status != 0 && Date() < deadline && berthd.isRunning {
            usleep(50_000)
            listed = try call("ListImages")
        }
        #expect(listed.status == 0, "\(listed)")
        // The user scope's images only: the system pool's sys_1 is not listed.
        #expect(listed.stdout.hasPrefix("a(ssbtttso) 1 \"app\" \"directory\""), "\(listed)")

        let attached = try call("AttachImage", ["sassbs", "app", "0", "default", "false", "copy"])
        #expect(attached.status == 0, "\(attached)")
        let unit = "/home/u/.config/systemd/user.attached/app.service"
        // Change paths are machine paths (the offline tree's root in front).
        #expect(attached.stdout.contains("\"copy\" \"\(harness.root + unit)\""), "\(attached)")
        #expect(FileManager.default.fileExists(atPath: harness.root + unit))
        #expect(try call("GetImageState", ["s", "app"]).stdout == "s \"attached\"\n")

        // A system image by path: portabled's PORTABLE_SCOPE refusal, as the system bus's InvalidArgs.
        let refused = try call("AttachImage", ["sassbs", "/var/lib/portables/sys_1", "0", "default", "false", "copy"])
        #expect(refused.status != 0)
        #expect(
            refused.stderr.contains(
                "Image /var/lib/portables/sys_1 portable scope 'system' incompatible with portabled runtime scope 'user'."
            ),
            "\(refused)"
        )

        let detached = try call("DetachImage", ["sb", "app", "false"])
        #expect(detached.status == 0, "\(detached)")
        #expect(detached.stdout.contains("\"unlink\" \"\(harness.root + unit)\""), "\(detached)")
        #expect(!FileManager.default.fileExists(atPath: harness.root + unit))

        kill(berthd.processIdentifier, SIGTERM)
        berthd.waitUntilExit()
        #expect(berthd.terminationStatus == 0)
    }
}
