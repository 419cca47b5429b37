import SystemCalls

/// Who asks, as polkit names it.
package enum PolkitSubject: Sendable, Equatable {
    /// A D-Bus client by its unique name (`system-bus-name`), which the bus vouches for.
    case busName(String)
    /// A local process (`unix-process`); the start time guards against a reused pid.
    case unixProcess(pid: Int32, startTime: UInt64, uid: UInt32)
}

/// polkit's answer, or that there is no polkit to ask.
package enum PolkitVerdict: Sendable, Equatable {
    case authorized
    /// Not authorized, but authenticating would help (polkit's `is_challenge`).
    case challenge
    case denied
    /// polkit is not on the bus (the name has no owner and cannot be activated), or there is no bus.
    case unavailable
}

/// polkit's `org.freedesktop.PolicyKit1.Authority.CheckAuthorization`, asked over the system bus as
/// sd-bus's polkit helper asks it: subject, action id, no details, AllowUserInteraction when the
/// caller allowed it, no cancellation id.
///
/// Each question runs on a thread of its own with a connection of its own: an interactive question
/// may wait for a password for as long as the timeout, and must hold up neither the caller's event
/// loop nor other questions.
package struct PolkitAuthority: Sendable {
    static let destination = "org.freedesktop.PolicyKit1"
    static let path = "/org/freedesktop/PolicyKit1/Authority"
    static let interface = "org.freedesktop.PolicyKit1.Authority"
    /// The errors meaning "nobody serves polkit here" (sd-bus's bus_error_is_unknown_service).
    static let unknownService: Set<String> = [
        "org.freedesktop.DBus.Error.ServiceUnknown", "org.freedesktop.DBus.Error.NameHasNoOwner",
    ]

    /// The bus polkitd serves; nil = the system bus (`DBUS_SYSTEM_BUS_ADDRESS` where set).
    package let address: String?
    /// sd-bus's default method timeout, which portabled's polkit queries use too.
    package let timeout: Duration

    package init(address: String? = nil, timeout: Duration = .seconds(25)) {
        self.address = address
        self.timeout = timeout
    }

    /// Asks polkit whether `subject` may perform `action`; a D-Bus error other than "no polkit" is thrown.
    package func check(
        action: String,
        subject: PolkitSubject,
        interactive: Bool
    ) async throws(SystemdError) -> PolkitVerdict {
        let result: Result<PolkitVerdict, SystemdError> = await withCheckedContinuation { continuation in
            do throws(SystemCallError) {
                try Posix.startThread {
                    continuation.resume(
                        returning: Result { () throws(SystemdError) -> PolkitVerdict in
                            try self.checkBlocking(action: action, subject: subject, interactive: interactive)
                        }
                    )
                }
            } catch {
                continuation.resume(returning: .failure(.systemCall(error)))
            }
        }
        return try result.get()
    }

    /// The question and its answer, on the calling thread.
    func checkBlocking(
        action: String,
        subject: PolkitSubject,
        interactive: Bool
    ) throws(SystemdError) -> PolkitVerdict {
        let values: [BusValue]
        do {
            values = try BusMethodCall.call(
                address: address,
                destination: Self.destination,
                path: Self.path,
                interface: Self.interface,
                member: "CheckAuthorization",
                arguments: Self.arguments(action: action, subject: subject, interactive: interactive),
                timeout: timeout
            )
        } catch .busCall(_, let name, _) where Self.unknownService.contains(name) {
            return .unavailable
        } catch .systemCall(let failure) where failure.call == "sd_bus_start" || failure.call == "sd_bus_open_system" {
            return .unavailable
        }
        guard case .structure(let fields)? = values.first, fields.count == 3,
            case .boolean(let authorized) = fields[0], case .boolean(let challenge) = fields[1]
        else {
            throw .busCall(method: "CheckAuthorization", errorName: "unexpected reply", message: "\(values)")
        }
        return authorized ? .authorized : challenge ? .challenge : .denied
    }

    /// `(sa{sv})sa{ss}us`: subject, action, details (none, as portabled), flags, cancellation id.
    static func arguments(action: String, subject: PolkitSubject, interactive: Bool) -> [BusValue] {
        let subjectValue: BusValue
        switch subject {
        case .busName(let name):
            subjectValue = .structure([
                .string("system-bus-name"), .dictionary(valueSignature: "v", [("name", .variant(.string(name)))]),
            ])
        case .unixProcess(let pid, let startTime, let uid):
            subjectValue = .structure([
                .string("unix-process"),
                .dictionary(
                    valueSignature: "v",
                    [
                        ("pid", .variant(.uint32(UInt32(bitPattern: pid)))),
                        ("start-time", .variant(.uint64(startTime))),
                        ("uid", .variant(.int32(Int32(bitPattern: uid)))),
                    ]
                ),
            ])
        }
        return [
            subjectValue, .string(action), .dictionary(valueSignature: "s", []), .uint32(interactive ? 1 : 0),
            .string(""),
        ]
    }
}
