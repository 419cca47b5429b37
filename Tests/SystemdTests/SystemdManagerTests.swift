import Foundation
import SystemCalls
import Testing

@testable import Systemd

/// The sd-bus calls themselves run against a real PID 1 in the e2e container (scripts/e2e.sh);
/// here: everything that must hold without systemd, which is this host's situation.
@Suite("SystemdManager without systemd")
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

    @Test("without a booted systemd, the default connection reports notBooted with a clear message")
    func notBooted() throws {
        try #require(
            !SystemdManager.isSystemdRunning,
            "this test describes a host without systemd; under systemd see scripts/e2e.sh"
        )
        let manager = SystemdManager()
        #expect(throws: SystemdError.notBooted) { try manager.reload() }
        #expect(throws: SystemdError.notBooted) { try manager.startUnit("foo.service") }
        #expect(throws: SystemdError.notBooted) { try manager.activeState(of: "foo.service") }
        #expect(SystemdError.notBooted.description.contains("PID 1 is not systemd"))
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
