internal import CSystemd
import Synchronization
import SystemCalls

#if canImport(Glibc)
import Glibc
#endif

/// Listens to PID 1's unit signals (a unit's `PropertiesChanged`, the manager's `UnitNew`,
/// `UnitRemoved`, `JobNew`, `JobRemoved`, `UnitFilesChanged`, `Reloading`) on its own connection and
/// thread, and calls `changed` for each with the unit it concerns (nil for the manager's signals about
/// no one unit), so the caller can ignore units it does not care about. Used by WatchImages while a
/// watcher is connected, so it stays cheap when nobody watches.
///
/// The connection is the system bus where there is one (signals only after `Subscribe` and only
/// those matched), else PID 1's private socket (every signal arrives; the same matches pick them).
package final class UnitSignalMonitor: Sendable {
    private let wakeFD: Int32
    private let stopped = Atomic<Bool>(false)

    /// Connects, subscribes and starts the listening thread.
    package init(
        manager: SystemdManager = SystemdManager(),
        changed: @escaping @Sendable (_ unit: String?) -> Void
    ) throws(SystemdError) {
        let wakeFD: Int32
        do { wakeFD = try Linux.eventFD() } catch { throw .systemCall(error) }
        self.wakeFD = wakeFD
        let bus = try manager.connectForQueries()
        let target = SignalTarget(changed)
        do {
            try Self.addMatches(on: bus, target: target)
            let subscribe = try bus.methodCall(member: "Subscribe")
            _ = try bus.call(subscribe, method: "Subscribe", timeout: .seconds(25))
        } catch {
            Posix.close(wakeFD)
            throw error
        }
        // The connection moves to the thread as its raw pointer: only that thread touches it from here on.
        let raw = RawBus(pointer: bus.handOver())
        do {
            // The thread keeps `self` (and so the wake descriptor) alive until it ends.
            try Posix.startThread { [self] in
                Self.run(raw.pointer, wakeFD: wakeFD)
                withExtendedLifetime(target) {}
                sd_bus_flush_close_unref(raw.pointer)
                withExtendedLifetime(self) {}
            }
        } catch {
            sd_bus_flush_close_unref(raw.pointer)
            throw .systemCall(error)
        }
    }

    deinit {
        Posix.close(wakeFD)
    }

    /// Ends the thread, which then closes the connection.
    package func stop() {
        guard !stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        Linux.eventFDSignal(wakeFD)
    }

    private static let rules = [
        "type='signal',path_namespace='/org/freedesktop/systemd1/unit',"
            + "interface='org.freedesktop.DBus.Properties',member='PropertiesChanged'",
        "type='signal',path='/org/freedesktop/systemd1',interface='org.freedesktop.systemd1.Manager'",
    ]

    private static func addMatches(on bus: borrowing BusConnection, target: SignalTarget) throws(SystemdError) {
        let sender = bus.isBusClient ? "sender='org.freedesktop.systemd1'," : ""
        let userdata = Unmanaged.passUnretained(target).toOpaque()
        for rule in rules {
            // Floating slots: the matches live as long as the connection.
            let result = sd_bus_add_match(bus.bus, nil, sender + rule, signalCallback, userdata)
            try SDBus.check("sd_bus_add_match", result)
        }
    }

    private static func run(_ bus: OpaquePointer, wakeFD: Int32) {
        while true {
            var processed: Int32
            repeat { processed = sd_bus_process(bus, nil) } while processed > 0
            if processed < 0 { return }  // PID 1 went away (reexec): watchers keep their file events
            let events = sd_bus_get_events(bus)
            var entries = [
                Posix.PollEntry(fd: sd_bus_get_fd(bus), events: Int16(events < 0 ? Int32(POLLIN) : events)),
                Posix.PollEntry(fd: wakeFD, events: Int16(POLLIN)),
            ]
            do { try Posix.poll(&entries, timeoutMilliseconds: 1000) } catch { return }
            if entries[1].returnedEvents != 0 { return }
        }
    }
}

/// The bus pointer handed to the listening thread.
private struct RawBus: @unchecked Sendable {  // used by exactly one thread after the hand-over
    let pointer: OpaquePointer
}

/// What the matches call; kept alive by the listening thread.
private final class SignalTarget: Sendable {
    let changed: @Sendable (String?) -> Void
    init(_ changed: @escaping @Sendable (String?) -> Void) { self.changed = changed }
}

private func signalCallback(
    message: OpaquePointer?,
    userdata: UnsafeMutableRawPointer?,
    error: UnsafeMutablePointer<sd_bus_error>?
) -> Int32 {
    guard let userdata else { return 0 }
    Unmanaged<SignalTarget>.fromOpaque(userdata).takeUnretainedValue().changed(unitNamed(by: message))
    return 0
}

/// The unit a signal concerns: the object whose properties changed, or the unit argument of
/// `UnitNew`/`UnitRemoved(s id, o unit)` and `JobNew`/`JobRemoved(u id, o job, s unit…)`.
private func unitNamed(by message: OpaquePointer?) -> String? {
    guard let message, let member = sd_bus_message_get_member(message).map({ String(cString: $0) }) else {
        return nil
    }
    var id: UInt32 = 0
    var job: UnsafePointer<CChar>? = nil
    var unit: UnsafePointer<CChar>? = nil
    switch member {
    case "PropertiesChanged":
        return sd_bus_message_get_path(message).flatMap { SystemdManager.unit(forObjectPath: String(cString: $0)) }
    case "UnitNew", "UnitRemoved":
        guard sd_bus_message_read_basic(message, BusType.string, &unit) > 0 else { return nil }
    case "JobNew", "JobRemoved":
        guard sd_bus_message_read_basic(message, BusType.uint32, &id) > 0,
            sd_bus_message_read_basic(message, BusType.objectPath, &job) > 0,
            sd_bus_message_read_basic(message, BusType.string, &unit) > 0
        else { return nil }
    default:
        return nil
    }
    return unit.map { String(cString: $0) }
}
