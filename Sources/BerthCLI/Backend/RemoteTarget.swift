import Systemd
import Varlink

/// Where `-H/--host=` and `-M/--machine=` send the verbs: berthd on another host over ssh, or berthd
/// inside a local container. Both reach the same socket berthd listens on locally, so socket
/// activation, authorization and every reply are those of a local call there.
package enum RemoteTarget: Equatable, Sendable {
    /// `[USER@]HOST`, reached with `ssh -W` to the socket there (the Varlink library's `ssh-unix:`).
    case host(String)
    /// A container registered with systemd-machined.
    case machine(String)

    /// `-M`'s value: `.host` (and an empty name) means this machine, as in systemd's tools.
    static func machine(named name: String) -> RemoteTarget? {
        name.isEmpty || name == ".host" ? nil : .machine(name)
    }

    /// How messages name the target.
    var displayName: String {
        switch self {
        case .host(let host): "host '\(host)'"
        case .machine(let machine): "machine '\(machine)'"
        }
    }

    /// The address of berthd's socket `socketPath` on the target.
    ///
    /// A container's socket is reached through its leader's root, `/proc/LEADER/root/…`: the kernel
    /// resolves the path in the container's mount namespace, so berthd.socket there starts berthd on
    /// the first connect, and nothing is forked or entered (portablectl's `-M` makes sd-bus fork into
    /// the container's namespaces; a Varlink socket needs only a path). The leader comes from
    /// machined, as portablectl's does.
    func address(socketPath: String) throws(CLIError) -> VarlinkAddress {
        switch self {
        case .host(let host):
            let address: VarlinkAddress
            do {
                address = try SSHTransport.unixSocket(host: host, path: socketPath)
            } catch {
                throw CLIError("Invalid host '\(host)': \(error.reason)", hint: "Use -H [USER@]HOST.")
            }
            // An older ssh logs in and waits instead of forwarding: say so now, not after the call's timeout.
            guard SSHTransport.forwardsToSockets else {
                throw CLIError(
                    "Cannot reach berthd on \(displayName): -H needs OpenSSH 9.4 or newer on this machine "
                        + "(ssh -W to a socket), and this ssh is older.",
                    hint: "Install a newer OpenSSH client, or set SYSTEMD_SSH= to one."
                )
            }
            return address
        case .machine(let machine):
            let leader: Int32
            do {
                leader = try MachineRegistry.leader(of: machine)
            } catch {
                throw Self.machineLookupFailed(machine, error)
            }
            let path = "/proc/\(leader)/root" + socketPath
            do {
                // Checks the length: sun_path holds 107 bytes, and a long --address= could exceed it.
                return try VarlinkAddress(parsing: "unix:" + path)
            } catch {
                throw CLIError("Cannot reach berthd in \(displayName): \(error.reason)")
            }
        }
    }

    /// The words for a failed machined lookup: portablectl's "Host is down" for an unknown machine.
    private static func machineLookupFailed(_ machine: String, _ error: SystemdError) -> CLIError {
        switch error.busErrorName {
        case "org.freedesktop.machine1.NoSuchMachine":
            return CLIError(
                "Failed to connect to machine '\(machine)': Host is down",
                hint: "No machine '\(machine)' is registered with systemd-machined; see 'machinectl list'."
            )
        case "org.freedesktop.DBus.Error.ServiceUnknown", "org.freedesktop.DBus.Error.NameHasNoOwner":
            return CLIError(
                "Failed to connect to machine '\(machine)': systemd-machined is not running.",
                hint: "-M needs systemd-machined on this host to find the container."
            )
        case nil:
            return CLIError(
                "Failed to connect to machine '\(machine)': cannot reach systemd-machined on the system bus: \(error)",
                hint: "-M needs the system bus and systemd-machined on this host to find the container."
            )
        default:
            return CLIError("Failed to connect to machine '\(machine)': \(error)")
        }
    }

    /// A connection that closed before berthd answered: over ssh, ssh has printed why (or the socket is
    /// missing on the far side); in a container, berthd is not there.
    func connectionFailed(socketPath: String, _ error: any Error) -> CLIError {
        switch self {
        case .host(let host):
            return CLIError(
                "Failed to talk to berthd on \(displayName) over ssh: \(error)",
                hint: "If ssh printed no error above, \(host) has no berthd listening at \(socketPath) "
                    + "(systemctl start berthd.socket there); 'ssh \(host) true' checks the ssh part."
            )
        case .machine(let machine):
            return CLIError(
                "Failed to talk to berthd in \(displayName): \(error)",
                hint: "Is berthd.socket active in the container (systemctl -M \(machine) start berthd.socket)?"
            )
        }
    }
}
