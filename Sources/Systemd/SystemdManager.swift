internal import CSystemd

#if canImport(Glibc)
import Glibc
#endif

/// A client for PID 1's D-Bus API (`org.freedesktop.systemd1`), over sd-bus.
///
/// Short request/reply calls share one connection, taken under a lock (sd-bus objects are
/// single-threaded); reloads and job waits open their own, so a long wait never holds up a query.
/// A `SystemdManager` value is freely `Sendable`; its copies share the connection. All calls block:
/// run them off the I/O path.
package struct SystemdManager: Sendable {
    /// How to reach PID 1.
    package enum Connection: Sendable, Equatable {
        /// PID 1's private socket when root (no dbus-daemon needed, as `systemctl` does), else the system bus.
        case automatic
        /// The system bus (`sd_bus_open_system`).
        case systemBus
        /// An explicit sd-bus address, e.g. `unix:path=/proc/PID/root/run/systemd/private`.
        case address(String)
        /// The calling user's service manager on its private socket, `$XDG_RUNTIME_DIR/systemd/private`
        /// (what `systemctl --user` tries first; no session bus needed).
        case userManager
    }

    /// Where to connect.
    package var connection: Connection
    /// How long to wait for a daemon-reload or for queued jobs to finish.
    package var timeout: Duration

    /// The connection queries reuse; shared by copies of this value.
    private let queries = SharedBusConnection()

    package init(connection: Connection = .automatic, timeout: Duration = .seconds(90)) {
        self.connection = connection
        self.timeout = timeout
    }

    /// The private socket root's clients use.
    package static let privateSocketPath = "/run/systemd/private"
    package static let systemBusSocketPath = "/run/dbus/system_bus_socket"

    /// Whether the system was booted with systemd (`sd_booted(3)`: `/run/systemd/system/` exists).
    package static var isSystemdRunning: Bool {
        guard case .success = SystemdLibrary.shared else { return false }
        return sd_booted() > 0
    }

    // MARK: - Manager calls

    /// `daemon-reload`: PID 1 answers once the reload is complete, so unit files written before
    /// are loaded when this returns.
    package func reload() throws(SystemdError) {
        let bus = try connect()
        let message = try bus.methodCall(member: "Reload")
        _ = try bus.call(message, method: "Reload", timeout: timeout)
    }

    /// Starts a unit; waits for its job unless `wait` is false (`--no-block`).
    @discardableResult
    package func startUnit(_ unit: String, mode: JobMode = .replace, wait: Bool = true) throws(SystemdError) -> [Job] {
        try runJobs([(unit, "StartUnit")], mode: mode, wait: wait)
    }

    /// Stops a unit; waits for its job unless `wait` is false.
    @discardableResult
    package func stopUnit(_ unit: String, mode: JobMode = .replace, wait: Bool = true) throws(SystemdError) -> [Job] {
        try runJobs([(unit, "StopUnit")], mode: mode, wait: wait)
    }

    /// Restarts a unit (starting it if it was not running); waits unless `wait` is false.
    @discardableResult
    package func restartUnit(_ unit: String, mode: JobMode = .replace, wait: Bool = true) throws(SystemdError) -> [Job]
    {
        try runJobs([(unit, "RestartUnit")], mode: mode, wait: wait)
    }

    /// Starts several units, queued in the order given (put sockets, paths and timers first so a
    /// service never starts ahead of the socket it is activated by), then waits for all of them.
    @discardableResult
    package func startUnits(
        _ units: [String],
        mode: JobMode = .replace,
        wait: Bool = true
    ) throws(SystemdError) -> [Job] {
        try runJobs(units.map { ($0, "StartUnit") }, mode: mode, wait: wait)
    }

    /// Stops several units, queued in the order given (services first, then their sockets).
    @discardableResult
    package func stopUnits(_ units: [String], mode: JobMode = .replace, wait: Bool = true) throws(SystemdError) -> [Job]
    {
        try runJobs(units.map { ($0, "StopUnit") }, mode: mode, wait: wait)
    }

    /// `EnableUnitFilesWithFlags`: creates the `[Install]` links. With `portable`, PID 1 puts them
    /// in `system.attached` (`/etc/...` or `/run/...` with `runtime`), as `portablectl --enable` does.
    package func enableUnitFiles(
        _ files: [String],
        runtime: Bool = false,
        force: Bool = false,
        portable: Bool = true
    ) throws(SystemdError) -> [UnitFileChange] {
        let flags = UnitFileFlags(runtime: runtime, force: force, portable: portable)
        return try changeUnitFiles("EnableUnitFilesWithFlags", files, flags, repliesInstallInfo: true)
    }

    /// `DisableUnitFilesWithFlags`: removes the `[Install]` links (PID 1 ignores `force` here).
    package func disableUnitFiles(
        _ files: [String],
        runtime: Bool = false,
        portable: Bool = true
    ) throws(SystemdError) -> [UnitFileChange] {
        let flags = UnitFileFlags(runtime: runtime, force: false, portable: portable)
        return try changeUnitFiles("DisableUnitFilesWithFlags", files, flags, repliesInstallInfo: false)
    }

    /// `GetUnitFileState`: `enabled`, `enabled-runtime`, `static`, `disabled`, `linked`, `masked`...
    ///
    /// - Throws: `.busCall` with `org.freedesktop.DBus.Error.FileNotFound` (or `...NoSuchUnit`) when
    ///   no unit file of that name exists.
    package func unitFileState(_ unit: String) throws(SystemdError) -> String {
        try callManager("GetUnitFileState", units: [unit]) { message throws(SystemdError) in
            try message.append(unit)
        } reading: { reply throws(SystemdError) in
            try reply.readString()
        }
    }

    /// The unit's `ActiveState` (`active`, `inactive`, `failed`, `activating`, ...); `inactive` for
    /// a unit PID 1 does not know, as `systemctl is-active` reports.
    package func activeState(of unit: String) throws(SystemdError) -> String {
        try unitProperty("ActiveState", of: unit)
    }

    /// The `ActiveState` of a unit PID 1 has loaded, or nil when it has not (then nothing of it can be
    /// running). Unlike `activeState(of:)`, this never makes PID 1 load a unit file: loading one costs
    /// PID 1 milliseconds and broadcasts UnitNew/UnitRemoved, which is what made state checks slow.
    package func loadedActiveState(of unit: String) throws(SystemdError) -> String? {
        try validate([unit])
        return try query { bus throws(SystemdError) -> String? in
            let lookup = try bus.methodCall(member: "GetUnit")
            try lookup.append(unit)
            let path: String
            do throws(SystemdError) {
                path = try bus.call(lookup, method: "GetUnit", timeout: timeout).readObjectPath()
            } catch {
                guard error.busErrorName == "org.freedesktop.systemd1.NoSuchUnit" else { throw error }
                return nil
            }
            return try stringProperty("ActiveState", atUnitPath: path, on: bus)
        }
    }

    /// `ListUnitsByPatterns`: the active state of every loaded unit whose name matches one of the
    /// shell `patterns` (`foo@*.service` for the instances of a template), by unit name.
    package func activeStates(matching patterns: [String]) throws(SystemdError) -> [String: String] {
        try callManager("ListUnitsByPatterns", units: patterns) { message throws(SystemdError) in
            try message.append([String]())  // any state
            try message.append(patterns)
        } reading: { reply throws(SystemdError) in
            try reply.readUnitActiveStates()
        }
    }

    /// A string property of `org.freedesktop.systemd1.Unit` (`ActiveState`, `SubState`, `LoadState`,
    /// `FragmentPath`...), read through the unit's object path so PID 1 loads it if needed.
    package func unitProperty(_ property: String, of unit: String) throws(SystemdError) -> String {
        try validate([unit])
        let path = try Self.objectPath(forUnit: unit)
        return try query { bus throws(SystemdError) in try stringProperty(property, atUnitPath: path, on: bus) }
    }

    /// The manager's unit search path (`UnitPath`, what `systemd-analyze unit-paths` prints).
    package func unitSearchPath() throws(SystemdError) -> [String] {
        try query { bus throws(SystemdError) in
            let message = try bus.methodCall(interface: "org.freedesktop.DBus.Properties", member: "Get")
            try message.append("org.freedesktop.systemd1.Manager")
            try message.append("UnitPath")
            return try bus.call(message, method: "Get(UnitPath)", timeout: timeout).readStringArrayVariant()
        }
    }

    /// The D-Bus object path of a unit: `/org/freedesktop/systemd1/unit/` + escaped name.
    package static func objectPath(forUnit unit: String) throws(SystemdError) -> String {
        try SystemdLibrary.load()
        var path: UnsafeMutablePointer<CChar>? = nil
        let result = sd_bus_path_encode("/org/freedesktop/systemd1/unit", unit, &path)
        try SDBus.check("sd_bus_path_encode", result)
        defer { free(path) }
        return path.map { String(cString: $0) } ?? ""
    }

    /// The unit an object path of `objectPath(forUnit:)`'s form names; nil for any other path.
    package static func unit(forObjectPath path: String) -> String? {
        guard (try? SystemdLibrary.load()) != nil else { return nil }
        var unit: UnsafeMutablePointer<CChar>? = nil
        guard sd_bus_path_decode(path, "/org/freedesktop/systemd1/unit", &unit) > 0, let unit else { return nil }
        defer { free(unit) }
        return String(cString: unit)
    }

    // MARK: - Internals

    /// `Properties.Get` of a string property of the `org.freedesktop.systemd1.Unit` object at `path`.
    private func stringProperty(
        _ property: String,
        atUnitPath path: String,
        on bus: borrowing BusConnection
    ) throws(SystemdError) -> String {
        let message = try bus.methodCall(path: path, interface: "org.freedesktop.DBus.Properties", member: "Get")
        try message.append("org.freedesktop.systemd1.Unit")
        try message.append(property)
        return try bus.call(message, method: "Get(\(property))", timeout: timeout).readStringVariant()
    }

    /// `Enable/DisableUnitFilesWithFlags`: the changes PID 1 made. Enabling first replies whether the
    /// units have `[Install]` sections, which nothing here needs.
    private func changeUnitFiles(
        _ member: String,
        _ files: [String],
        _ flags: UnitFileFlags,
        repliesInstallInfo: Bool
    ) throws(SystemdError) -> [UnitFileChange] {
        try callManager(member, units: files) { message throws(SystemdError) in
            try message.append(files)
            try message.append(flags.rawValue)
        } reading: { reply throws(SystemdError) in
            if repliesInstallInfo { _ = try reply.readBool() }
            return try reply.readChanges()
        }
    }

    /// Calls `member` of the manager on the shared connection after checking the unit names:
    /// `arguments` appends the parameters, `read` takes what it needs from the reply.
    private func callManager<Result: Sendable>(
        _ member: String,
        units: [String],
        arguments: (borrowing BusMessage) throws(SystemdError) -> Void,
        reading read: (borrowing BusMessage) throws(SystemdError) -> Result
    ) throws(SystemdError) -> Result {
        try validate(units)
        return try query { bus throws(SystemdError) in
            let message = try bus.methodCall(member: member)
            try arguments(message)
            return try read(bus.call(message, method: member, timeout: timeout))
        }
    }

    /// Runs one short request/reply exchange on the shared connection.
    private func query<Result: Sendable>(
        _ body: (borrowing BusConnection) throws(SystemdError) -> Result
    ) throws(SystemdError) -> Result {
        try queries.withConnection(connect: connectForQueries, body)
    }

    /// The long-lived query connection: the system bus when it runs (no unasked signals there), else
    /// what `connect()` picks.
    func connectForQueries() throws(SystemdError) -> BusConnection {
        if case .automatic = connection, Self.isSystemdRunning, access(Self.systemBusSocketPath, F_OK) == 0,
            let bus = try? BusConnection(address: nil)
        {
            return bus
        }
        return try connect()
    }

    func connect() throws(SystemdError) -> BusConnection {
        switch connection {
        case .address(let address):
            return try BusConnection(address: address)
        case .systemBus:
            guard Self.isSystemdRunning else { throw .notBooted }
            return try BusConnection(address: nil)
        case .userManager:
            guard let runtime = getenv("XDG_RUNTIME_DIR").map({ String(cString: $0) }), runtime.hasPrefix("/") else {
                throw .invalidArgument("$XDG_RUNTIME_DIR is not set: no user service manager to talk to")
            }
            return try BusConnection(address: "unix:path=\(runtime)/systemd/private")
        case .automatic:
            guard Self.isSystemdRunning else { throw .notBooted }
            if geteuid() == 0 && access(Self.privateSocketPath, F_OK) == 0 {
                return try BusConnection(address: "unix:path=\(Self.privateSocketPath)")
            }
            return try BusConnection(address: nil)
        }
    }

    private func validate(_ units: [String]) throws(SystemdError) {
        for unit in units where unit.isEmpty || unit.utf8.contains(0) {
            throw .invalidArgument("invalid unit name '\(unit)'")
        }
        if units.isEmpty { throw .invalidArgument("no unit names given") }
    }
}
