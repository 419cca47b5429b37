import BerthDaemon
import BerthService
import Foundation
import Systemd
import Testing

/// `SystemdServiceManager`'s batched state query against a real PID 1 (scripts/e2e.sh runs it inside the
/// booted systemd 257 container, with `BERTH_LIVE_PID1=1`).
@Suite(
    "SystemdServiceManager against a live PID 1",
    .serialized,
    .enabled(
        if: ProcessInfo.processInfo.environment["BERTH_LIVE_PID1"] == "1" && SystemdManager.isSystemdRunning,
        "needs a booted systemd and BERTH_LIVE_PID1=1 (scripts/e2e.sh runs it in the lab container)"
    )
)
struct SystemdServiceManagerLiveTests {
    private let manager = SystemdServiceManager(manager: SystemdManager(timeout: .seconds(30)))
    private let name = "berth-live-\(UUID().uuidString.prefix(8).lowercased())"

    @Test("activeUnits asks once for names and templates, agrees with isActive, and loads nothing")
    func activeUnitsInOneQuery() async throws {
        let running = "\(name)-run.service"
        let idle = "\(name)-idle.service"
        let template = "\(name)-tpl@.service"
        let idleTemplate = "\(name)-none@.service"
        let instance = "\(name)-tpl@one.service"
        let units = [running, idle, template, idleTemplate]
        for unit in units {
            try "[Service]\nExecStart=/bin/sleep infinity\n".write(
                toFile: "/run/systemd/system/\(unit)",
                atomically: true,
                encoding: .utf8
            )
        }
        defer {
            _ = try? manager.manager.stopUnits([running, instance])
            for unit in units { try? FileManager.default.removeItem(atPath: "/run/systemd/system/\(unit)") }
            try? manager.manager.reload()
        }
        try manager.manager.reload()
        try manager.manager.startUnits([running, instance])
        let asked = units + ["\(name)-missing.socket"]
        let active = try await manager.activeUnits(asked)
        #expect(active == [running, template])
        for unit in asked {
            #expect(try await manager.isActive(unit) == active.contains(unit), "\(unit)")
        }
        #expect(try manager.manager.loadedActiveState(of: idle) == nil, "the query loaded \(idle)")
    }
}
