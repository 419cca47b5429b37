internal import CSystemd
internal import SystemCalls

#if canImport(Glibc)
import Glibc
#endif

/// What every sd-bus user in this module shares: opening a connection (the system or the user's bus, or an
/// address: a private bus in tests, PID 1's private socket) with its cleanup on failure, and errno-style results.
enum SDBus {
    /// - Parameter asBusClient: the address is a message bus (a dbus-daemon), not a peer such as PID 1's
    ///   private socket: sd-bus then says Hello and can own names.
    /// - Parameter bus: the bus to open when there is no address.
    static func open(
        address: String?,
        asBusClient: Bool,
        bus kind: MessageBus = .system
    ) throws(SystemdError) -> OpaquePointer {
        try SystemdLibrary.load()
        var bus: OpaquePointer? = nil
        guard let address else {
            let call = kind == .user ? "sd_bus_open_user" : "sd_bus_open_system"
            let result = kind == .user ? sd_bus_open_user(&bus) : sd_bus_open_system(&bus)
            if result < 0 { throw .systemCall(SystemCallError(call: call, errno: -result)) }
            guard let bus else { throw .systemCall(SystemCallError(call: call, errno: ENOMEM)) }
            return bus
        }
        let created = sd_bus_new(&bus)
        if created < 0 { throw .systemCall(SystemCallError(call: "sd_bus_new", errno: -created)) }
        guard let bus else { throw .systemCall(SystemCallError(call: "sd_bus_new", errno: ENOMEM)) }
        var result = sd_bus_set_address(bus, address)
        if result >= 0, asBusClient { result = sd_bus_set_bus_client(bus, 1) }
        if result >= 0 { result = sd_bus_start(bus) }
        if result < 0 {
            sd_bus_flush_close_unref(bus)
            throw .systemCall(SystemCallError(call: "sd_bus_start", errno: -result, detail: address))
        }
        return bus
    }

    /// sd-bus returns negative errno values.
    static func check(_ call: String, _ result: Int32) throws(SystemdError) {
        if result < 0 { throw .systemCall(SystemCallError(call: call, errno: -result)) }
    }
}
