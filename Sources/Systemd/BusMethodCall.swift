internal import CSystemd
internal import SystemCalls

#if canImport(Glibc)
import Glibc
#endif

/// One method call on a connection of its own, with arguments and reply as `BusValue`s: for the
/// questions Berth asks other services (polkit), which are rare and may wait long, so they share no
/// connection and hold no lock while they wait.
package enum BusMethodCall {
    /// Connects to `address` (nil: the system bus), calls, waits for the reply on this thread and
    /// closes. A D-Bus error reply is thrown as `.busCall` with its name; no bus as `.systemCall`.
    package static func call(
        address: String?,
        destination: String,
        path: String,
        interface: String,
        member: String,
        arguments: [BusValue],
        allowInteractiveAuthorization: Bool = false,
        timeout: Duration = .seconds(25)
    ) throws(SystemdError) -> [BusValue] {
        let bus = try SDBus.open(address: address, asBusClient: true)
        defer { sd_bus_flush_close_unref(bus) }
        var call: OpaquePointer? = nil
        try SDBus.check(
            "sd_bus_message_new_method_call",
            sd_bus_message_new_method_call(bus, &call, destination, path, interface, member)
        )
        guard let call else {
            throw .systemCall(SystemCallError(call: "sd_bus_message_new_method_call", errno: ENOMEM))
        }
        defer { sd_bus_message_unref(call) }
        if allowInteractiveAuthorization {
            try SDBus.check(
                "sd_bus_message_set_allow_interactive_authorization",
                sd_bus_message_set_allow_interactive_authorization(call, 1)
            )
        }
        for value in arguments { try BusValueCoding.append(value, to: call) }
        var error = sd_bus_error(name: nil, message: nil, _need_free: 0)
        defer { sd_bus_error_free(&error) }
        var reply: OpaquePointer? = nil
        let result = sd_bus_call(bus, call, BusConnection.microseconds(timeout), &error, &reply)
        if result < 0 {
            guard sd_bus_error_is_set(&error) > 0, let name = error.name else {
                throw .systemCall(SystemCallError(call: "sd_bus_call", errno: -result, detail: member))
            }
            let text = error.message.map { String(cString: $0) } ?? ""
            throw .busCall(method: member, errorName: String(cString: name), message: text)
        }
        guard let reply else { throw .systemCall(SystemCallError(call: "sd_bus_call", errno: EBADMSG, detail: member)) }
        defer { sd_bus_message_unref(reply) }
        var budget = BusValueCoding.maximumElements
        return try BusValueCoding.readAll(reply, budget: &budget)
    }
}
