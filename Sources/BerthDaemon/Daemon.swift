import BerthDBus
import BerthService
import Glibc
package import Logging
import PortableEngine
import SystemCalls
import Systemd
import Varlink

/// `berthd`: parses the command line, sets up logging and the Varlink server, takes its sockets,
/// tells systemd it is ready, serves until SIGTERM/SIGINT or idle, and says it is stopping.
package enum Daemon {
    /// Exit codes as systemd names them (`systemd.exec(5)`, "Process Exit Codes").
    package enum ExitCode {
        package static let success: Int32 = 0
        package static let failure: Int32 = 1
        package static let invalidArgument: Int32 = 2
    }

    /// Runs the daemon and returns its exit code. Call from the main thread before any other
    /// thread exists: SIGTERM/SIGINT are blocked here and delivered to the server's loop.
    package static func main(arguments: [String]) -> Int32 {
        let command: DaemonConfiguration.Command
        do {
            command = try DaemonConfiguration.parse(Array(arguments.dropFirst()))
        } catch {
            bootstrapLogging(level: .info, target: .auto)
            Logger(label: "berthd").error("\(error)")
            return ExitCode.invalidArgument
        }
        switch command {
        case .help:
            print(DaemonConfiguration.usage)
            return ExitCode.success
        case .version:
            print("berthd \(BerthVersion.current)")
            return ExitCode.success
        case .recover(let configuration):
            bootstrapLogging(level: configuration.logLevel, target: configuration.logTarget)
            let logger = Logger(label: "berthd")
            do {
                let report = try PortableInterfaceFactory.recover(configuration: configuration, logger: logger)
                logger.info("recovery: \(report.isEmpty ? "nothing to do" : "\(report.count) step(s) taken")")
                return ExitCode.success
            } catch {
                logger.error("recovery failed: \(error)")
                return ExitCode.failure
            }
        case .run(let configuration):
            bootstrapLogging(level: configuration.logLevel, target: configuration.logTarget)
            let logger = Logger(label: "berthd")
            do {
                return try run(configuration, logger: logger)
            } catch let error as DaemonConfigurationError {
                logger.error("\(error)")
                return ExitCode.invalidArgument
            } catch {
                logger.error("\(error)")
                notifyStopping(status: "Failed: \(error)")
                return ExitCode.failure
            }
        }
    }

    /// Serves until shutdown or idle exit; throws what made startup fail.
    package static func run(_ configuration: DaemonConfiguration, logger: Logger) throws -> Int32 {
        // Before the server sizes its connection limit from it (¾ of the soft limit, at most 4096):
        // systemd's soft limit of 1024 would cap berthd at 768 connections (watchers included).
        Posix.raiseOpenFileLimit()
        // Each 400-image ListImages freed ~250 KiB that glibc gave back (two madvise calls) and the next
        // call faulted in again: 8 % of its CPU time.
        Posix.setMallocTrimThreshold(8 << 20)
        let group = try configuration.authorizedGroup.map { group throws(DaemonConfigurationError) in
            try GroupResolver.gid(for: group)
        }
        let server = VarlinkServer(
            configuration: .init(
                vendor: "Berth",
                product: "berthd",
                version: BerthVersion.current,
                url: BerthVersion.url,
                // With the bus front door, its loop decides idle exit for both buses.
                exitWhenIdle: configuration.servesBus ? nil : configuration.idleTimeout
            )
        )
        // Before anything can start a thread (the service's executor): SIGTERM/SIGINT must be blocked
        // in every thread so that only the server's signalfd sees them (graceful stop).
        try server.stopOnSignals([SIGTERM, SIGINT])
        // Sockets first: a bad --listen= fails before the service looks at any unit directory.
        let sockets = try DaemonSockets.attach(to: server, configuration: configuration, logger: logger)
        server.register(SystemdServiceInterface(logger: logger))
        let service = try PortableInterfaceFactory.makeService(
            configuration: configuration,
            authorizedGroup: group,
            logger: logger
        )
        server.register(PortableVarlinkInterface(service))
        let bus =
            try configuration.servesBus
            ? BusFrontDoor(
                service: service,
                server: server,
                on: configuration.scope == .user ? .user : .system,
                idleTimeout: configuration.idleTimeout,
                logTarget: configuration.logTarget.rawValue,
                logger: logger
            ) : nil

        let idle = configuration.idleTimeout.map { "exits after \($0) idle" } ?? "no idle exit"
        let busKind = configuration.scope == .user ? "user" : "system"
        let busName = "D-Bus \(PortableBusSchema.busName) on the \(busKind) bus"
        // Joined by hand, as in Notify: the first `joined(separator:)` of a process costs 0.12 M instructions.
        var serving = ""
        for (index, name) in (sockets + (bus == nil ? [] : [busName])).enumerated() {
            serving += index == 0 ? name : ", " + name
        }
        logger.info("serving \(serving) (\(idle))")
        notify { () throws(SystemdError) in try Notify.ready(status: "Serving \(sockets.count) socket(s)") }

        var reason = try server.runOnCurrentThread()
        if let bus, bus.finish() == .idle { reason = .idle }
        switch reason {
        case .idle:
            logger.debug("idle, exiting; systemd starts berthd again on the next connection")
            notifyStopping(status: "Idle, exiting")
        case .shutdown:
            logger.info("stopped; calls in flight were finished")
            notifyStopping(status: "Stopped")
        }
        return ExitCode.success
    }

    static func bootstrapLogging(level: Logger.Level, target: DaemonConfiguration.LogTarget) {
        let factory: @Sendable (String) -> any LogHandler
        switch target {
        case .journal:
            factory = { label in JournalLogHandler(label: label, identifier: "berthd", level: level) }
        case .console:
            factory = SystemdLogging.makeHandlerFactory(identifier: "berthd", level: level, forceStderr: true)
        case .auto:
            factory = SystemdLogging.makeHandlerFactory(identifier: "berthd", level: level)
        }
        LoggingSystem.bootstrap(factory)
    }

    private static func notifyStopping(status: String) {
        notify { () throws(SystemdError) in try Notify.stopping(status: status) }
    }

    /// Notification failures are logged, never fatal: the service still works without them.
    private static func notify(_ body: () throws(SystemdError) -> Bool) {
        do {
            _ = try body()
        } catch {
            Logger(label: "berthd").warning("sd_notify failed: \(error)")
        }
    }
}
