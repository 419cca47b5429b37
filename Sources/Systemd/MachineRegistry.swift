/// systemd-machined's registry (`org.freedesktop.machine1` on the system bus): which process leads a
/// local container, as `machinectl` and portablectl's `-M` find it.
package enum MachineRegistry {
    /// The PID (in this PID namespace) of the leader of `machine`.
    ///
    /// - Parameter busAddress: the system bus; nil means sd-bus's default (`$DBUS_SYSTEM_BUS_ADDRESS`,
    ///   else `/run/dbus/system_bus_socket`).
    /// - Throws: `.systemCall` when the bus cannot be reached, `.busCall` with machined's error name
    ///   (`org.freedesktop.machine1.NoSuchMachine`, `org.freedesktop.DBus.Error.ServiceUnknown` when
    ///   machined is not running) when it answers no.
    package static func leader(
        of machine: String,
        busAddress: String? = nil,
        timeout: Duration = .seconds(25)
    ) throws(SystemdError) -> Int32 {
        guard !machine.isEmpty, !machine.utf8.contains(0) else {
            throw .invalidArgument("invalid machine name '\(machine)'")
        }
        let bus = try BusConnection(address: busAddress, asBusClient: true)
        let lookup = try bus.methodCall(
            destination: "org.freedesktop.machine1",
            path: "/org/freedesktop/machine1",
            interface: "org.freedesktop.machine1.Manager",
            member: "GetMachine"
        )
        try lookup.append(machine)
        let path = try bus.call(lookup, method: "GetMachine", timeout: timeout).readObjectPath()
        let property = try bus.methodCall(
            destination: "org.freedesktop.machine1",
            path: path,
            interface: "org.freedesktop.DBus.Properties",
            member: "Get"
        )
        try property.append("org.freedesktop.machine1.Machine")
        try property.append("Leader")
        let leader = try bus.call(property, method: "Get(Leader)", timeout: timeout).readUInt32Variant()
        guard leader > 0, leader <= UInt32(Int32.max) else {
            throw .invalidArgument("machine '\(machine)' has no leader process")
        }
        return Int32(leader)
    }
}
