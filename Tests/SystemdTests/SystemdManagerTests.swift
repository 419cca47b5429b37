import Foundation
import SystemCalls
import Testing

@testable import Systemd

/// The sd-bus calls themselves run against a real PID 1 in the e2e container (scripts/e2e.sh);
/// here: what holds on any host, whether systemd is PID 1 or not. The two cases that depend on it
/// each run on their kind of host and say so on the other (scripts/e2e.sh runs this suite under PID 1 too).
@Suite("SystemdManager on any host")
struct SystemdManagerTests {
    @Test("unit object paths are escaped as PID 1 names them")
    func objectPaths() throws {
        #expect(try SystemdManager.objectPath(forUnit: "foo.service") == "/org/freedesktop/systemd1/unit/foo_2eservice")
        #expect(
            try SystemdManager.objectPath(forUnit: "foo-bar@x.socket")
                == "/org/freedesktop/systemd1/unit/foo_2dbar_40x_2esocket"
        )
        #expect(try SystemdManager.objectPath(forUnit: "") == "/org/freedesktop/systemd1/unit/_")
    }

    @Test("a unit's object path names the unit again; other paths name none")
    func unitsOfObjectPaths() throws {
        for unit in ["foo.service", "foo-bar@x.socket", "a\\x2db.mount"] {
            #expect(SystemdManager.unit(forObjectPath: try SystemdManager.objectPath(forUnit: unit)) == unit)
        }
        #expect(SystemdManager.unit(forObjectPath: "/org/freedesktop/systemd1/unit/demo_2eservice") == "demo.service")
        #expect(SystemdManager.unit(forObjectPath: "/org/freedesktop/systemd1/job/42") == nil)
        #expect(SystemdManager.unit(forObjectPath: "/org/freedesktop/systemd1") == nil)
    }

    @Test(
        "without a booted systemd, the default connection reports notBooted with a clear message",
        .enabled(if: !SystemdManager.isSystemdRunning, "systemd is PID 1 here: the booted case below runs instead")
    )
    func notBooted() throws {
        let manager = SystemdManager()
        #expect(throws: SystemdError.notBooted) { try manager.reload() }
        #expect(throws: SystemdError.notBooted) { try manager.startUnit("foo.service") }
        #expect(throws: SystemdError.notBooted) { try manager.activeState(of: "foo.service") }
        #expect(SystemdError.notBooted.description.contains("PID 1 is not systemd"))
    }

    @Test(
        "under a booted systemd, the default connection reaches PID 1 instead of reporting notBooted",
        .enabled(
            if: SystemdManager.isSystemdRunning,
            "systemd is not PID 1 here: the notBooted case above runs instead"
        )
    )
    func booted() {
        // Read-only, and for a unit nobody has: GetUnit does not make PID 1 load it.
        let unit = "berth-test-absent-\(UUID().uuidString.prefix(8).lowercased()).service"
        let state: String?
        do throws(SystemdError) {
            state = try SystemdManager(timeout: .seconds(10)).loadedActiveState(of: unit)
        } catch {
            // Without bus access (an unprivileged user on a host without dbus) the call fails, but
            // never because the host was taken for one without systemd.
            #expect(error != .notBooted)
            return
        }
        #expect(state == nil, "PID 1 has a unit \(unit) loaded")
    }

    @Test("a bus address where nobody listens fails with the errno, not a crash")
    func unreachableBus() throws {
        let path = NSTemporaryDirectory() + "berth-systemd-nobus-\(UUID().uuidString)"
        let manager = SystemdManager(connection: .address("unix:path=\(path)"), timeout: .seconds(2))
        do {
            try manager.reload()
            Issue.record("reload succeeded without a bus")
        } catch {
            guard case .systemCall(let call) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(call.errno == ENOENT)
            #expect(call.description.contains(path))
        }
    }

    @Test("a malformed bus address is rejected")
    func malformedAddress() {
        let manager = SystemdManager(connection: .address("not-an-address"), timeout: .seconds(2))
        #expect(throws: SystemdError.self) { try manager.unitFileState("foo.service") }
    }

    @Test("unit names PID 1 would reject are refused before connecting")
    func invalidNames() throws {
        let manager = SystemdManager(connection: .address("unix:path=/nonexistent/berth"), timeout: .seconds(1))
        #expect(throws: SystemdError.invalidArgument("invalid unit name ''")) { try manager.startUnit("") }
        #expect(throws: SystemdError.invalidArgument("invalid unit name 'a\u{0}b'")) {
            try manager.stopUnits(["ok.service", "a\u{0}b"])
        }
        #expect(throws: SystemdError.invalidArgument("no unit names given")) { try manager.enableUnitFiles([]) }
        #expect(try manager.startUnits([]) == [])
    }

    @Test("unit file changes print like systemctl")
    func changeDescriptions() {
        #expect(
            UnitFileChange(type: "symlink", path: "/etc/a", source: "/etc/b").description
                == "Created symlink /etc/a → /etc/b."
        )
        #expect(UnitFileChange(type: "unlink", path: "/etc/a", source: nil).description == "Removed \"/etc/a\".")
    }

    @Test("job failures name the unit and where to look")
    func jobFailureText() {
        let error = SystemdError.jobFailed(
            unit: "foo.service",
            job: "/org/freedesktop/systemd1/job/7",
            result: "failed"
        )
        #expect(error.description.contains("foo.service"))
        #expect(error.description.contains("'failed'"))
        #expect(error.description.contains("journalctl -u foo.service"))
        #expect(SystemdError.busCall(method: "StartUnit", errorName: "org.x.E", message: "m").busErrorName == "org.x.E")
    }
}
