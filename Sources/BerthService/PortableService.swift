package import BerthClient
package import Logging
import PortableEngine
import SystemCalls
import Systemd
import Varlink

/// io.berth.Portable on the engine: authorization from the caller's credentials, one queue per
/// image, engine work on `EngineExecutor`, and every failure mapped to a wire error.
package final class PortableService: Portable.ServiceProtocol {
    let engine: PortableEngine
    let authorization: Authorization
    let queue: ImageOperationQueue
    let logger: Logger

    /// Builds the io.berth.Portable interface handler berthd registers with its `VarlinkServer`.
    /// Finishes interrupted transactions first (crash recovery) and logs what it did.
    package static func makeInterface(
        configuration: PortableServiceConfiguration = PortableServiceConfiguration(),
        logger: Logger
    ) throws -> Portable.ServiceAdapter<PortableService> {
        Portable.ServiceAdapter(try PortableService(configuration: configuration, logger: logger))
    }

    package init(configuration: PortableServiceConfiguration, logger: Logger) throws {
        engine = try Self.makeEngine(configuration: configuration, logger: logger)
        authorization = Authorization(authorizedGroup: configuration.authorizedGroup)
        queue = ImageOperationQueue(limit: configuration.maximumOperations)
        self.logger = logger
        Self.recover(engine, logger: logger)
    }

    /// `berthd --recover` (berthd-recover.service, early at boot): the same recovery as every start,
    /// then a daemon-reload if it changed anything, so PID 1 never keeps a half-written attachment
    /// it loaded before berthd first ran. Returns what was done.
    package static func recoverInterruptedOperations(
        configuration: PortableServiceConfiguration,
        logger: Logger
    ) throws -> [String] {
        let engine = try makeEngine(configuration: configuration, logger: logger)
        let report = recover(engine, logger: logger)
        if !report.isEmpty, talksToPID1(configuration) { try SystemdManager().reload() }
        return report
    }

    /// Finishes interrupted transactions and logs each step.
    @discardableResult
    private static func recover(_ engine: PortableEngine, logger: Logger) -> [String] {
        let report = engine.recover()
        for line in report { logger.notice("recovery: \(line)") }
        return report
    }

    /// Whether PID 1 is asked to reload, enable and start: systemd runs, and neither --root nor --no-pid1.
    private static func talksToPID1(_ configuration: PortableServiceConfiguration) -> Bool {
        configuration.usePID1 && configuration.root == nil && SystemdServiceManager.systemdIsRunning
    }

    private static func makeEngine(
        configuration: PortableServiceConfiguration,
        logger: Logger
    ) throws -> PortableEngine {
        let engineConfiguration = EngineConfiguration(
            root: configuration.root ?? "/",
            berthProfileDirectories: configuration.profileDirectory.map { [$0] }
        )
        let serviceManager: any ServiceManager
        if talksToPID1(configuration) {
            serviceManager = SystemdServiceManager()
        } else {
            if configuration.usePID1 && configuration.root == nil {
                logger.notice(
                    "PID 1 is not systemd: attach and detach do the file work only (no reload, enable or start)"
                )
            }
            serviceManager = OfflineServiceManager()
        }
        do {
            return try PortableEngine(configuration: engineConfiguration, serviceManager: serviceManager)
        } catch {
            throw PortableErrorMapping.wireError(for: error)
        }
    }

    // MARK: - Plumbing

    /// Refuses mutating calls from callers that are neither root nor in the admin group.
    func authorize(_ method: String, _ call: VarlinkCall) throws {
        guard authorization.allows(method: method, uid: call.peer.uid, gid: call.peer.gid) else {
            logger.info(
                "refused \(method)",
                metadata: [
                    "peer.uid": "\(call.peer.uid)", "peer.gid": "\(call.peer.gid)", "peer.pid": "\(call.peer.pid)",
                ]
            )
            throw Portable.Error.permissionDenied(operation: method)
        }
    }

    /// Runs an engine operation behind earlier ones on the same image, on the engine executor,
    /// and maps its failure to a wire error.
    func serialized<T: Sendable>(
        image: String,
        _ operation: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        do {
            return try await queue.run(key: ImageOperationQueue.key(for: image)) {
                try await EngineExecutor.run(operation)
            }
        } catch {
            throw PortableErrorMapping.wireError(for: error)
        }
    }

    /// Read-only engine work that needs no queue (it takes no lock and sees a consistent state
    /// because every write is an atomic rename).
    func reading<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        do {
            return try await EngineExecutor.run(operation)
        } catch {
            throw PortableErrorMapping.wireError(for: error)
        }
    }
}
