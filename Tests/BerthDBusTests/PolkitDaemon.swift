import Foundation
import TestSupport

/// The host's real polkitd on a test's private system bus, with the portable1 actions and one JS
/// rules file made by the test. It runs in a mount namespace of its own where those directories are
/// bind-mounted over polkit's, so the host's /etc and /usr stay untouched and its rules do not apply.
final class PolkitDaemon: @unchecked Sendable {
    static let executable = "/usr/lib/polkit-1/polkitd"
    static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: executable) }

    private let process = Process()

    /// Runs its arguments with polkit's text agent registered for their process (pkttyagent --process
    /// on a pseudo-terminal whose input ends after a few seconds): an interactive check then reaches
    /// the agent, whose prompt fails, and polkit answers "denied" instead of "challenge". The agent
    /// keeps no descriptor of the caller's (Foundation's Process waits for its child's to close).
    static let withFailingAgent = [
        "/bin/sh", "-c", #"/usr/bin/python3 -c "$0" $$ && sleep 1 && exec "$@""#,
        """
        import subprocess, sys
        quiet = dict(stderr=subprocess.DEVNULL, close_fds=True)
        eof = subprocess.Popen(["sleep", "4"], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, **quiet)
        subprocess.Popen(["script", "-qfc", "pkttyagent --process " + sys.argv[1], "/dev/null"],
                         stdin=eof.stdout, stdout=subprocess.DEVNULL, **quiet)
        """,
    ]

    /// The three actions of systemd's org.freedesktop.portable1.policy, defaults as shipped.
    static let actions = """
        <?xml version="1.0" encoding="UTF-8"?>
        <!DOCTYPE policyconfig PUBLIC "-//freedesktop//DTD PolicyKit Policy Configuration 1.0//EN"
         "https://www.freedesktop.org/standards/PolicyKit/1/policyconfig.dtd">
        <policyconfig>
        \(["inspect-images", "attach-images", "manage-images"].map { """
            <action id="org.freedesktop.portable1.\($0)"><description>\($0)</description><message>\($0)</message>
            <defaults><allow_any>auth_admin</allow_any><allow_inactive>auth_admin</allow_inactive>
            <allow_active>auth_admin_keep</allow_active></defaults></action>
            """ }.joined(separator: "\n"))
        </policyconfig>
        """

    /// Starts polkitd on the bus at `address` and waits until it owns org.freedesktop.PolicyKit1.
    init(busAddress address: String, directory: String, rules: String) throws {
        let actions = directory + "/actions"
        let rulesDirectory = directory + "/rules.d"
        let empty = directory + "/empty"
        for path in [actions, rulesDirectory, empty] {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }
        try Data(Self.actions.utf8).write(to: URL(fileURLWithPath: actions + "/org.freedesktop.portable1.policy"))
        try Data(rules.utf8).write(to: URL(fileURLWithPath: rulesDirectory + "/50-berth-test.rules"))
        let script = """
            mount --make-rprivate / && mount --bind "$1" /usr/share/polkit-1/actions \
            && mount --bind "$2" /etc/polkit-1/rules.d && mount --bind "$3" /usr/share/polkit-1/rules.d \
            && exec \(Self.executable) --no-debug
            """
        var environment = ProcessInfo.processInfo.environment
        environment["DBUS_SYSTEM_BUS_ADDRESS"] = address
        process.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
        process.arguments = ["-m", "/bin/sh", "-c", script, "polkitd", actions, rulesDirectory, empty]
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(15)
        while true {
            let names = try CLIRunner.run(
                "/usr/bin/busctl",
                ["--system", "list", "--acquired"],
                environment: environment,
                currentDirectory: "/"
            )
            if names.stdout.contains("org.freedesktop.PolicyKit1") { return }
            guard Date() < deadline, process.isRunning else {
                stop()
                throw HarnessFailure("polkitd did not take org.freedesktop.PolicyKit1: \(names)")
            }
            usleep(50_000)
        }
    }

    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}
