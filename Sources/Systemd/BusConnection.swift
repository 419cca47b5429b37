internal import CSystemd
import SystemCalls

#if canImport(Glibc)
import Glibc
#endif

/// An owned sd-bus connection to PID 1, closed (after flushing) when it goes away.
///
/// sd-bus objects are not thread-safe, so a connection is used by one thread at a time: inside one
/// operation of `SystemdManager`, or under `SharedBusConnection`'s lock.
struct BusConnection: ~Copyable {
    let bus: OpaquePointer
    /// Direct connections (PID 1's private socket) carry no sender names, so matches must not filter on one.
    let isBusClient: Bool

    /// - Parameter asBusClient: an explicit address that is a bus (dbus-daemon), not PID 1's private socket.
    init(address: String?, asBusClient: Bool = false) throws(SystemdError) {
        let bus = try SDBus.open(address: address, asBusClient: asBusClient)
        self.bus = bus
        self.isBusClient = sd_bus_is_bus_client(bus) > 0
    }

    deinit {
        sd_bus_flush_close_unref(bus)
    }

    /// Gives up ownership without closing: the caller now holds the reference (a listening thread).
    consuming func handOver() -> OpaquePointer {
        let bus = self.bus
        discard self
        return bus
    }

    /// A method call to systemd's manager (or another systemd1 object, or another service's).
    func methodCall(
        destination: String = "org.freedesktop.systemd1",
        path: String = "/org/freedesktop/systemd1",
        interface: String = "org.freedesktop.systemd1.Manager",
        member: String
    ) throws(SystemdError) -> BusMessage {
        var message: OpaquePointer? = nil
        let result = sd_bus_message_new_method_call(bus, &message, destination, path, interface, member)
        try SDBus.check("sd_bus_message_new_method_call", result)
        guard let message else {
            throw .systemCall(SystemCallError(call: "sd_bus_message_new_method_call", errno: ENOMEM))
        }
        return BusMessage(adopting: message)
    }

    /// Sends a call and waits for its reply; a D-Bus error reply becomes `.busCall`.
    func call(_ message: borrowing BusMessage, method: String, timeout: Duration) throws(SystemdError) -> BusMessage {
        var error = sd_bus_error(name: nil, message: nil, _need_free: 0)
        defer { sd_bus_error_free(&error) }
        var reply: OpaquePointer? = nil
        let result = sd_bus_call(bus, message.pointer, Self.microseconds(timeout), &error, &reply)
        if result < 0 {
            if sd_bus_error_is_set(&error) > 0 {
                let name = error.name.map { String(cString: $0) } ?? "unknown"
                let text = error.message.map { String(cString: $0) } ?? String(cString: strerror(-result))
                if name == "org.freedesktop.DBus.Error.Timeout" || result == -ETIMEDOUT {
                    throw .timedOut(operation: method)
                }
                throw .busCall(method: method, errorName: name, message: text)
            }
            throw .systemCall(SystemCallError(call: "sd_bus_call", errno: -result, detail: method))
        }
        guard let reply else { throw .systemCall(SystemCallError(call: "sd_bus_call", errno: EBADMSG, detail: method)) }
        return BusMessage(adopting: reply)
    }

    /// Processes incoming messages (dispatching matches) until `done()` or the deadline.
    func process(until deadline: ContinuousClock.Instant, operation: String, done: () -> Bool) throws(SystemdError) {
        while !done() {
            let processed = sd_bus_process(bus, nil)
            try SDBus.check("sd_bus_process", processed)
            if processed > 0 { continue }
            let now = ContinuousClock.now
            guard now < deadline else { throw .timedOut(operation: operation) }
            let waited = sd_bus_wait(bus, Self.microseconds(deadline - now))
            if waited < 0 && waited != -EINTR { try SDBus.check("sd_bus_wait", waited) }
        }
    }

    /// Reads and drops what arrived unasked (signals), without waiting; returns how many messages.
    /// PID 1 sends every unit change to each connection on its private socket, matches or not: a
    /// connection kept open must read them, or they pile up in its queue and in PID 1's.
    @discardableResult
    func discardPending(limit: Int = 100_000) -> Int {
        var count = 0
        while count < limit, sd_bus_process(bus, nil) > 0 { count += 1 }
        return count
    }

    static func microseconds(_ duration: Duration) -> UInt64 {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0 else { return 1 }
        return UInt64(seconds) * 1_000_000 + UInt64(attoseconds / 1_000_000_000_000) + 1
    }
}
