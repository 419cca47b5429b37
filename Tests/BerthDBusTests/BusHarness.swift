import BerthDBus
import BerthService
import Foundation
import Logging
import PortableEngine
import SystemCalls
import Systemd
import TestSupport
import Varlink

/// A private dbus-daemon (a real system-type bus in a temp dir) with the D-Bus front door on it,
/// serving an offline tree; busctl and portablectl of the host talk to it through
/// `DBUS_SYSTEM_BUS_ADDRESS`. The same service is also served over Varlink (`varlinkSocket`), as
/// berthd serves both, and asks polkit on the private bus: a real polkitd when the test gives rules,
/// else nobody owns the name and the admin group decides.
final class BusHarness: @unchecked Sendable {
    let temp = TempDirectory(prefix: "berth-dbus")
    let root: String
    let address: String
    private let daemon = Process()
    private let bus: BusObjectServer?
    private let stopped = DispatchSemaphore(value: 0)
    let varlinkSocket: String
    private let varlink = VarlinkServer()
    private let varlinkStopped = DispatchSemaphore(value: 0)
    private var polkit: PolkitDaemon?
    /// A session-type bus, reached through `DBUS_SESSION_BUS_ADDRESS` (`busctl --user`), as a user's bus.
    let userBus: Bool

    /// - Parameters:
    ///   - inProcess: serve the name from this process; false leaves it to a berthd the test starts.
    ///   - explicitRoot: the tree to serve (one the test mounted, say); a fresh directory if nil.
    ///   - authorizedGroup: berthd's admin group (the rule without polkit).
    ///   - polkitRules: start polkitd with this JS rules file; nil: no polkit on the bus.
    ///   - userBus: run a session-type bus (a user's bus) instead of a system-type one.
    init(
        inProcess: Bool = true,
        root explicitRoot: String? = nil,
        authorizedGroup: UInt32? = nil,
        polkitRules: String? = nil,
        userBus: Bool = false
    ) throws {
        self.userBus = userBus
        varlinkSocket = temp.join("io.berth.Portable")
        root = explicitRoot ?? temp.join("root")
        for directory in ["var/lib/portables", "etc/systemd/system", "run/systemd/system"] {
            try FileManager.default.createDirectory(atPath: "\(root)/\(directory)", withIntermediateDirectories: true)
        }
        chmod(temp.path, 0o755)
        let socket = temp.join("system_bus_socket")
        address = "unix:path=\(socket)"
        // Everyone may talk to everyone: refusing callers is berthd's job here, not the bus policy's.
        let configuration = """
            <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
             "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
            <busconfig><type>\(userBus ? "session" : "system")</type><listen>\(address)</listen><auth>EXTERNAL</auth>
            <policy context="default"><allow user="*"/><allow own="*"/><allow send_destination="*"/>
            <allow receive_sender="*"/></policy></busconfig>
            """
        try Data(configuration.utf8).write(to: URL(fileURLWithPath: temp.join("bus.conf")))
        // In the foreground, owned by this harness: a forking daemon would keep Foundation's Process
        // waiting for the grandchild.
        daemon.executableURL = URL(fileURLWithPath: "/usr/bin/dbus-daemon")
        daemon.arguments = ["--config-file=\(temp.join("bus.conf"))", "--nofork", "--nopidfile"]
        daemon.standardOutput = FileHandle.nullDevice
        try daemon.run()
        let dbusDaemon = daemon  // the closure may not capture self before init ends
        guard ListeningSocket.waitUntilAccepting(socket, while: { dbusDaemon.isRunning }) else {
            throw HarnessFailure("dbus-daemon did not start")
        }

        if let polkitRules {
            polkit = try PolkitDaemon(busAddress: address, directory: temp.join("polkit"), rules: polkitRules)
        }
        guard inProcess else {
            bus = nil
            return
        }
        var service = PortableServiceConfiguration()
        service.root = root
        service.serviceManager = OfflineServiceManager()
        service.profileDirectory = RepositoryLayout.profilesDirectory
        service.authorizedGroup = authorizedGroup
        service.polkit = PolkitAuthority(address: address)
        let logger = Logger(label: "berth.test") { _ in SwiftLogNoOpLogHandler() }
        let portable = try PortableService(configuration: service, logger: logger)
        let adapter = PortableBusAdapter(service: portable, logTarget: "console")
        varlink.register(PortableVarlinkInterface(portable))
        try varlink.listen(on: .unixPath(varlinkSocket, mode: 0o666))
        let varlink = varlink
        let varlinkStopped = varlinkStopped
        Task {
            _ = try? await varlink.run()
            varlinkStopped.signal()
        }
        let bus = try BusObjectServer(address: address, name: PortableBusSchema.busName)
        self.bus = bus
        for path in [PortableBusSchema.managerPath, PortableBusSchema.logControlPath] {
            try bus.serve(path: path, needsSender: PortableBusAdapter.needsSender) { adapter.handle($0) }
        }
        try bus.requestName()
        let stopped = stopped
        Thread.detachNewThread {
            _ = try? bus.run()
            stopped.signal()
        }
    }

    func stop() {
        if let bus {
            bus.stop()
            stopped.wait()
            varlink.shutdown()
            varlinkStopped.wait()
        }
        polkit?.stop()
        // dbus-daemon of a system-type bus does not stop on SIGTERM.
        kill(daemon.processIdentifier, SIGKILL)
        daemon.waitUntilExit()
    }

    /// A directory image in the pool: os-release and the given units.
    func makeImage(_ name: String, units: [String] = ["demo.service", "demo.socket"]) {
        let builder = ImageTreeBuilder(root: "\(root)/var/lib/portables/\(name)")
        var files: [String: String] = [:]
        for unit in units {
            files[unit] =
                unit.hasSuffix(".socket")
                ? "[Socket]\nListenStream=/run/demo.sock\n" : "[Service]\nExecStart=/usr/bin/demo\n"
        }
        builder.portableImage(osRelease: "ID=demo\nVERSION_ID=1\nPRETTY_NAME=\"Demo 1\"\n", units: files)
    }

    /// busctl against the private bus, as root or (setpriv) as another user.
    func busctl(_ arguments: [String], uid: UInt32? = nil, through wrapper: [String] = []) throws -> CLIResult {
        try run("/usr/bin/busctl", [userBus ? "--user" : "--system"] + arguments, uid: uid, through: wrapper)
    }

    /// The host's portablectl against the private bus. It refuses to run unless systemd is PID 1
    /// (`/run/systemd/system`), so it runs in a mount namespace of its own where that directory
    /// exists; nothing else of the host changes.
    func portablectl(_ arguments: [String]) throws -> CLIResult {
        let script =
            "mount --make-rprivate / && mount -t tmpfs none /run/systemd && mkdir /run/systemd/system"
            + " && exec portablectl \"$@\""
        return try run("/usr/bin/unshare", ["-m", "/bin/sh", "-c", script, "portablectl"] + arguments)
    }

    /// The environment a client of the private bus runs with.
    var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment[addressVariable] = address
        return environment
    }

    /// Where clients look for this bus.
    private var addressVariable: String { userBus ? "DBUS_SESSION_BUS_ADDRESS" : "DBUS_SYSTEM_BUS_ADDRESS" }

    private func run(
        _ executable: String,
        _ arguments: [String],
        uid: UInt32? = nil,
        through wrapper: [String] = []
    ) throws -> CLIResult {
        var environment = ProcessInfo.processInfo.environment
        environment[addressVariable] = address
        environment["SYSTEMD_COLORS"] = "0"
        environment["SYSTEMD_PAGER"] = ""
        guard let uid else {
            return try CLIRunner.run(executable, arguments, environment: environment, currentDirectory: "/")
        }
        return try CLIRunner.run(
            "/usr/bin/setpriv",
            ["--reuid=\(uid)", "--regid=\(uid)", "--clear-groups"] + wrapper + [executable] + arguments,
            environment: environment,
            currentDirectory: "/"
        )
    }

    /// One Varlink call to the same service, from a process running as `uid` (gid = uid).
    func varlinkCall(
        _ method: String,
        _ parameters: String = "{}",
        uid: UInt32 = 0,
        through wrapper: [String] = []
    ) throws -> String {
        try VarlinkCallAsUser.run(
            socketPath: varlinkSocket,
            uid: uid,
            gid: uid,
            method: "io.berth.Portable.\(method)",
            parameters: parameters,
            through: wrapper,
            environment: environment
        )
    }

    static func with(
        authorizedGroup: UInt32? = nil,
        polkitRules: String? = nil,
        _ body: (BusHarness) throws -> Void
    ) throws {
        let harness = try BusHarness(authorizedGroup: authorizedGroup, polkitRules: polkitRules)
        defer { harness.stop() }
        try body(harness)
    }
}

struct HarnessFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
