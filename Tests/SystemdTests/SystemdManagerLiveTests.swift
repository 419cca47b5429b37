import Foundation
import Testing

@testable import Systemd

/// SystemdManager against a real PID 1. Runs only where systemd is PID 1 and the caller opted
/// in with `BERTH_LIVE_PID1=1` (it creates and starts units under /run/systemd): scripts/e2e.sh
/// runs this suite inside the booted systemd 257 container.
@Suite(
    "SystemdManager against a live PID 1",
    .serialized,
    .enabled(
        if: ProcessInfo.processInfo.environment["BERTH_LIVE_PID1"] == "1" && SystemdManager.isSystemdRunning,
        "needs a booted systemd and BERTH_LIVE_PID1=1 (scripts/e2e.sh runs it in the lab container)"
    )
)
struct SystemdManagerLiveTests {
    private let manager = SystemdManager(timeout: .seconds(30))
    private let name = "berth-live-\(UUID().uuidString.prefix(8).lowercased())"

    private func write(_ path: String, _ text: String) throws {
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent,
            withIntermediateDirectories: true
        )
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    private func remove(_ paths: String...) {
        for path in paths { try? FileManager.default.removeItem(atPath: path) }
    }

    @Test("reload picks up a new unit; start, restart and stop wait for their jobs")
    func startStopRestart() throws {
        let unit = "\(name).service"
        let path = "/run/systemd/system/\(unit)"
        try write(path, "[Service]\nExecStart=/bin/sleep infinity\n")
        defer {
            _ = try? manager.stopUnit(unit)
            remove(path)
            try? manager.reload()
        }
        try manager.reload()
        #expect(try manager.unitProperty("LoadState", of: unit) == "loaded")
        #expect(try manager.activeState(of: unit) == "inactive")
        let started = try manager.startUnit(unit)
        #expect(started.count == 1)
        #expect(started.first?.result == "done")
        #expect(started.first?.path.hasPrefix("/org/freedesktop/systemd1/job/") == true)
        #expect(try manager.activeState(of: unit) == "active")
        let pid = try manager.unitProperty("SubState", of: unit)
        #expect(pid == "running")
        #expect(try manager.restartUnit(unit).first?.result == "done")
        #expect(try manager.activeState(of: unit) == "active")
        #expect(try manager.stopUnit(unit).first?.result == "done")
        #expect(try manager.activeState(of: unit) == "inactive")
    }

    @Test("loadedActiveState does not make PID 1 load a unit; ListUnitsByPatterns finds a template's instances")
    func statesWithoutLoading() throws {
        let unit = "\(name)-lazy.service"
        let template = "\(name)-tpl@.service"
        let instance = "\(name)-tpl@one.service"
        let path = "/run/systemd/system/\(unit)"
        let templatePath = "/run/systemd/system/\(template)"
        try write(path, "[Service]\nExecStart=/bin/sleep infinity\n")
        try write(templatePath, "[Service]\nExecStart=/bin/sleep infinity\n")
        defer {
            _ = try? manager.stopUnits([unit, instance])
            remove(path, templatePath)
            try? manager.reload()
        }
        try manager.reload()
        #expect(try manager.loadedActiveState(of: unit) == nil)
        #expect(try manager.activeStates(matching: ["\(name)-lazy*"]).isEmpty, "the query loaded the unit")
        try manager.startUnits([unit, instance])
        #expect(try manager.loadedActiveState(of: unit) == "active")
        #expect(try manager.activeStates(matching: ["\(name)-tpl@*.service"]) == [instance: "active"])
        try manager.stopUnits([unit, instance])
        #expect(try manager.activeStates(matching: ["\(name)-tpl@*.service"])[instance] != "active")
    }

    @Test("PID 1's private socket sends unit signals unasked; a kept connection drops them before each call")
    func privateSocketSignalsAreDrained() throws {
        let unit = "\(name)-noisy.service"
        let path = "/run/systemd/system/\(unit)"
        try write(path, "[Service]\nType=oneshot\nExecStart=/bin/true\n")
        defer {
            remove(path)
            try? manager.reload()
        }
        try manager.reload()
        let bus = try BusConnection(address: "unix:path=\(SystemdManager.privateSocketPath)")
        let ask = { () throws(SystemdError) -> String in
            let call = try bus.methodCall(member: "GetUnitFileState")
            try call.append(unit)
            return try bus.call(call, method: "GetUnitFileState", timeout: .seconds(10)).readString()
        }
        _ = try ask()
        for _ in 0..<3 { try manager.startUnit(unit) }
        _ = try ask()  // the reply is read behind the signals, which sd-bus queues
        #expect(bus.discardPending() > 0, "no signal arrived: PID 1 no longer sends them unasked")
        #expect(bus.discardPending() == 0)
        // The manager's own query connection keeps answering through the noise.
        let queries = SystemdManager(connection: .address("unix:path=\(SystemdManager.privateSocketPath)"))
        for _ in 0..<3 {
            try manager.startUnit(unit)
            #expect(try !queries.unitFileState(unit).isEmpty, "the query connection answers with a state")
        }
    }

    @Test("a unit that fails to start throws jobFailed naming the unit; no-block returns the queued job")
    func failureAndNoBlock() throws {
        let failing = "\(name)-fail.service"
        let slow = "\(name)-slow.service"
        let failingPath = "/run/systemd/system/\(failing)"
        let slowPath = "/run/systemd/system/\(slow)"
        try write(failingPath, "[Service]\nType=oneshot\nExecStart=/bin/false\n")
        try write(slowPath, "[Service]\nType=oneshot\nExecStart=/bin/sleep 0.3\n")
        defer {
            _ = try? manager.stopUnits([failing, slow])
            remove(failingPath, slowPath)
            try? manager.reload()
        }
        try manager.reload()
        #expect(throws: SystemdError.self) { try manager.startUnit(failing) }
        do {
            try manager.startUnit(failing)
        } catch {
            guard case .jobFailed(let unit, _, let result) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(unit == failing)
            #expect(result == "failed")
        }
        #expect(try manager.activeState(of: failing) == "failed")
        let queued = try manager.startUnit(slow, wait: false)
        #expect(queued.count == 1)
        #expect(queued.first?.result == nil)
        #expect(queued.first?.path.hasPrefix("/org/freedesktop/systemd1/job/") == true)
    }

    @Test("several units start in the given order on one connection and are waited for together")
    func socketBeforeService() throws {
        let socket = "\(name).socket"
        let service = "\(name).service"
        let socketPath = "/run/systemd/system/\(socket)"
        let servicePath = "/run/systemd/system/\(service)"
        try write(socketPath, "[Socket]\nListenStream=/run/\(name).sock\n")
        try write(servicePath, "[Service]\nExecStart=/bin/sleep infinity\n")
        defer {
            _ = try? manager.stopUnits([service, socket])
            remove(socketPath, servicePath)
            try? manager.reload()
        }
        try manager.reload()
        let jobs = try manager.startUnits([socket, service])
        #expect(jobs.map(\.unit) == [socket, service])
        #expect(jobs.allSatisfy { $0.result == "done" })
        #expect(try manager.activeState(of: socket) == "active")
        #expect(try manager.activeState(of: service) == "active")
        #expect(try manager.stopUnits([service, socket]).count == 2)
        #expect(try manager.activeState(of: socket) == "inactive")
    }

    @Test("portable enable/disable links land in system.attached; unit file state follows")
    func enableDisablePortable() throws {
        let unit = "\(name).service"
        let attached = "/run/systemd/system.attached"
        let path = "\(attached)/\(unit)"
        let createdAttached = !FileManager.default.fileExists(atPath: attached)
        try write(path, "[Service]\nExecStart=/bin/sleep infinity\n\n[Install]\nWantedBy=multi-user.target\n")
        defer {
            _ = try? manager.disableUnitFiles([unit], runtime: true)
            remove(path, "\(attached)/multi-user.target.wants")
            if createdAttached { remove(attached) }
            try? manager.reload()
        }
        try manager.reload()
        #expect(try manager.unitFileState(unit) == "static" || manager.unitFileState(unit) == "disabled")
        let enabled = try manager.enableUnitFiles([unit], runtime: true)
        #expect(enabled.map(\.type) == ["symlink"])
        #expect(enabled.first?.path == "\(attached)/multi-user.target.wants/\(unit)")
        #expect(FileManager.default.fileExists(atPath: "\(attached)/multi-user.target.wants/\(unit)"))
        #expect(try manager.unitFileState(unit) == "enabled-runtime")
        let disabled = try manager.disableUnitFiles([unit], runtime: true)
        #expect(disabled.map(\.type) == ["unlink"])
        #expect(!FileManager.default.fileExists(atPath: "\(attached)/multi-user.target.wants/\(unit)"))
    }

    @Test("unknown units: inactive and not-found, and D-Bus errors keep their names")
    func unknownUnits() throws {
        let unit = "\(name)-missing.service"
        #expect(try manager.activeState(of: unit) == "inactive")
        #expect(try manager.unitProperty("LoadState", of: unit) == "not-found")
        do {
            _ = try manager.unitFileState(unit)
            Issue.record("GetUnitFileState of a missing unit succeeded")
        } catch {
            #expect(error.busErrorName != nil, "\(error)")
        }
        #expect(throws: SystemdError.self) { try manager.startUnit(unit) }
    }

    @Test("the system bus path works too (through dbus-daemon)")
    func systemBus() throws {
        let bus = SystemdManager(connection: .systemBus, timeout: .seconds(30))
        #expect(try bus.activeState(of: "dbus.service") == "active")
        #expect(try bus.unitProperty("LoadState", of: "multi-user.target") == "loaded")
    }
}
