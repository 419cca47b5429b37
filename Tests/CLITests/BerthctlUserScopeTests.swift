import Foundation
import TestSupport
import Testing

/// `berthctl --user` / `--system`: the user's tree in process (`--root`), the scope carried by every call,
/// and each berthd refusing the other scope's calls with ScopeMismatch's words.
@Suite("berthctl --user")
struct BerthctlUserScopeTests {
    static let service = "[Service]\nExecStart=/usr/bin/app\n"
    /// The user's session as berthctl and a user's berthd see it (paths inside the tree).
    static let session = ["HOME": "/home/u", "XDG_RUNTIME_DIR": "/run/user/1000"]

    /// A tree with a user image `app` in `~/.local/state/portables` and a system image `sys`.
    static func tree() throws -> CLITestTree {
        let tree = try CLITestTree()
        let image = "/home/u/.local/state/portables/app"
        try tree.write("ID=demo\nPORTABLE_SCOPE=user\n", to: "\(image)/usr/lib/os-release")
        try tree.write(service, to: "\(image)/usr/lib/systemd/user/app.service")
        try tree.makeImage("sys", units: ["sys.service": service])
        return tree
    }

    static func run(_ arguments: [String], environment: [String: String] = session) throws -> CLIResult {
        try CLIRunner.run(
            try CLIRunner.executable("berthctl"),
            arguments,
            environment: ProcessInfo.processInfo.environment.merging(environment) { $1 }
        )
    }

    @Test("--user --root: attach into the user's unit directory, state per scope, detach")
    func userTreeInProcess() throws {
        let tree = try Self.tree()
        let attach = try Self.run(["--user", "--root=\(tree.root)", "attach", "app"])
        #expect(attach.status == 0, "\(attach)")
        let unit = "\(tree.root)/home/u/.config/systemd/user.attached/app.service"
        #expect(attach.stderr.contains("Copied \(unit).\n") || attach.stderr.contains("Written \(unit)"), "\(attach)")
        #expect(FileManager.default.fileExists(atPath: unit))
        #expect(try Self.run(["--user", "--root=\(tree.root)", "is-attached", "app"]).stdout == "attached\n")
        // The system scope has no image of that name, and nothing of it attached.
        #expect(try Self.run(["--root=\(tree.root)", "is-attached", "app"]).stderr.contains("No image 'app' found."))
        let systemState = try Self.run(["--root=\(tree.root)", "is-attached", "/home/u/.local/state/portables/app"])
        #expect(systemState.stdout == "detached\n", "\(systemState)")
        let list = try Self.run(["--user", "--root=\(tree.root)", "--no-legend", "list"])
        #expect(list.stdout.hasPrefix("app "), "\(list)")
        // --system (the default) does not see the user's images, and refuses the user's image by path.
        let refused = try Self.run(["--system", "--root=\(tree.root)", "attach", "/home/u/.local/state/portables/app"])
        #expect(refused.status == 1)
        #expect(
            refused.stderr.contains(
                "Image /home/u/.local/state/portables/app portable scope 'user' incompatible with portabled "
                    + "runtime scope 'system'."
            ),
            "\(refused)"
        )
        let detach = try Self.run(["--user", "--root=\(tree.root)", "detach", "app"])
        #expect(detach.status == 0, "\(detach)")
        #expect(!FileManager.default.fileExists(atPath: unit))
    }

    @Test("the system berthd refuses --user calls, a user's berthd --system ones; nothing is written")
    func scopeMismatch() throws {
        let tree = try Self.tree()
        let system = try DaemonUnderTest(root: tree.root)
        let refused = try system.berthctl(["--user", "attach", "app"])
        #expect(refused.status == 1, "\(refused)")
        #expect(
            refused.stderr.contains("This berthd manages the system scope, not the user scope, refusing."),
            "\(refused)"
        )
        #expect(try system.berthctl(["--no-legend", "list"]).stdout.hasPrefix("sys "))

        let user = try DaemonUnderTest(root: tree.root, arguments: ["--user"], environment: Self.session)
        let wrong = try user.berthctl(["attach", "sys"])
        #expect(wrong.status == 1, "\(wrong)")
        #expect(wrong.stderr.contains("This berthd manages the user scope, not the system scope, refusing."))
        #expect(!FileManager.default.fileExists(atPath: "\(tree.root)/etc/systemd/system.attached"))
        let attach = try user.berthctl(["--user", "attach", "--runtime", "app"])
        #expect(attach.status == 0, "\(attach)")
        #expect(FileManager.default.fileExists(atPath: "\(tree.root)/run/user/1000/systemd/user.attached/app.service"))
        #expect(try user.berthctl(["--user", "detach", "--runtime", "app"]).status == 0)
    }

    @Test("--user without a session: portablectl 262's line word for word, or Berth's naming $XDG_RUNTIME_DIR")
    func noRuntimeDirectory() throws {
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_RUNTIME_DIR"] = nil
        environment["DBUS_SESSION_BUS_ADDRESS"] = nil
        let berthctl = try CLIRunner.executable("berthctl")
        let bare = try CLIRunner.run(berthctl, ["--user", "list"], environment: environment)
        #expect(bare.status == 1, "\(bare)")
        // The compat suite's user-list: no verb context in front of it, as portablectl prints it.
        #expect(
            bare.stderr.hasPrefix(
                "Failed to connect to user scope bus via local transport: $DBUS_SESSION_BUS_ADDRESS and "
                    + "$XDG_RUNTIME_DIR not defined (consider using --machine=<user>@.host --user to connect to bus "
                    + "of other user)\n"
            ),
            "\(bare)"
        )
        // With a session bus named but no runtime directory, portablectl would connect: Berth cannot.
        environment["DBUS_SESSION_BUS_ADDRESS"] = "unix:path=/nonexistent/bus"
        let busOnly = try CLIRunner.run(berthctl, ["--user", "list"], environment: environment)
        #expect(busOnly.status == 1, "\(busOnly)")
        #expect(
            busOnly.stderr.hasPrefix(
                "Failed to list images: Failed to connect to user scope berthd: $XDG_RUNTIME_DIR not defined."
            ),
            "\(busOnly)"
        )
    }
}
