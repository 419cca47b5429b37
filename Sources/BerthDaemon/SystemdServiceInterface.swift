import Glibc
package import Logging
import SystemCalls
package import Systemd
package import Varlink
import VarlinkJSON

/// `io.systemd.service`: the interface systemd's tooling uses to manage any Varlink service
/// (`varlinkctl call ... io.systemd.service.Ping {}`, `SetLogLevel`, `GetEnvironment`).
///
/// Behaviour follows sd-varlink's generic implementation: Ping takes no parameters;
/// SetLogLevel and GetEnvironment are for root or the daemon's own UID only (an environment can
/// hold secrets); GetEnvironment refuses to hand out a block that is not valid `KEY=VALUE` UTF-8.
package struct SystemdServiceInterface: VarlinkInterface {
    package let name = "io.systemd.service"
    package let interfaceDescription = Self.idl
    private let control: LogLevelControl
    private let logger: Logger

    /// - Parameter control: the level every handler of the process follows (`SetLogLevel` sets it).
    package init(control: LogLevelControl = .shared, logger: Logger) {
        self.control = control
        self.logger = logger
    }

    /// The interface text as upstream systemd publishes it (257 plus `GetEnvironment`).
    package static let idl = """
        # An interface to control basic properties of systemd services.
        interface io.systemd.service

        # Checks if the service is running.
        method Ping() -> ()

        # Sets the maximum log level.
        method SetLogLevel(
        \t# The maximum log level, using BSD syslog log level integers.
        \tlevel: ?int
        ) -> ()

        # Get current environment block.
        method GetEnvironment() -> (
        \t# Returns the current environment block, i.e. the contents of environ[].
        \tenvironment: ?[]string
        )

        # Returned if the environment block is currently not in a valid state.
        error InconsistentEnvironment ()

        """

    package func handle(_ call: VarlinkCall, reply: VarlinkReply) async throws {
        try dispatch(call, reply: reply)
    }

    private func dispatch(_ call: VarlinkCall, reply: VarlinkReply) throws {
        switch call.methodName {
        case "Ping":
            try rejectParameters(call, allowed: [])
            reply.reply()
        case "SetLogLevel":
            try rejectParameters(call, allowed: ["level"])
            try requirePrivileged(call)
            guard let number = call.parameters["level"]?.int64Value,
                let level = Logger.Level(syslogPriority: Int(clamping: number))
            else { throw VarlinkServiceError.invalidParameter(parameter: "level") }
            control.level = level
            logger.notice("log level set to \(level)", metadata: ["varlink.peer.uid": "\(call.peer.uid)"])
            reply.reply()
        case "GetEnvironment":
            try rejectParameters(call, allowed: [])
            try requirePrivileged(call)
            guard let environment = ProcessEnvironment.entries() else {
                throw SystemdServiceError.inconsistentEnvironment
            }
            reply.reply(["environment": .array(environment.map { .string($0) })])
        default:
            throw VarlinkServiceError.methodNotFound(method: call.method)
        }
    }

    private func rejectParameters(_ call: VarlinkCall, allowed: Set<String>) throws {
        if let unknown = call.parameters.keys.first(where: { !allowed.contains($0) }) {
            throw VarlinkServiceError.invalidParameter(parameter: unknown)
        }
    }

    private func requirePrivileged(_ call: VarlinkCall) throws {
        guard call.peer.uid == 0 || call.peer.uid == getuid() else { throw VarlinkServiceError.permissionDenied }
    }
}

/// `io.systemd.service` errors.
package enum SystemdServiceError: VarlinkError {
    case inconsistentEnvironment

    package var errorName: String { "io.systemd.service.InconsistentEnvironment" }
}
