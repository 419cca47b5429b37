package import BerthClient
package import Logging
import PortableEngine
import SystemCalls
import Systemd

#if canImport(Glibc)
import Glibc
#endif

/// `Portable.API` on the engine: authorization from the caller's credentials (`Caller.current`), one
/// queue per image, engine work on `EngineExecutor`, and every failure mapped to a `Portable.Error`.
///
/// Every front door calls it through the same protocol: berthd's Varlink server (through
/// `Portable.ServiceAdapter`), and `berthctl --root` in process.
package final class PortableService: Portable.API {
    let engine: PortableEngine
    let authorization: Authorization
    let queue: ImageOperationQueue
    let logger: Logger
    let watchHub: WatchHub

    /// Builds the io.berth.Portable interface berthd registers with its `VarlinkServer`.
    /// Finishes interrupted transactions first (crash recovery) and logs what it did.
    package static func makeInterface(
        configuration: PortableServiceConfiguration = PortableServiceConfiguration(),
        logger: Logger
    ) throws -> PortableVarlinkInterface {
        PortableVarlinkInterface(try PortableService(configuration: configuration, logger: logger))
    }

    package init(configuration: PortableServiceConfiguration, logger: Logger) throws {
        engine = try Self.makeEngine(configuration: configuration)
        authorization = Authorization(authorizedGroup: configuration.authorizedGroup, polkit: configuration.polkit)
        queue = ImageOperationQueue(limit: configuration.maximumOperations)
        self.logger = logger
        watchHub = WatchHub(
            engine: engine,
            unitSignals: configuration.unitSignals,
            logger: logger,
            settleTime: configuration.watchSettleTime
        )
        if configuration.recoversAtStart { Self.recover(engine, logger: logger) }
    }

    /// Finishes or undoes what an interrupted operation (kill -9, power loss) left behind; returns
    /// the steps taken, each also logged.
    package func recoverInterruptedOperations() -> [String] {
        Self.recover(engine, logger: logger)
    }

    /// Finishes interrupted transactions and logs each step.
    @discardableResult
    private static func recover(_ engine: PortableEngine, logger: Logger) -> [String] {
        let report = engine.recover()
        for line in report { logger.notice("recovery: \(line)") }
        return report
    }

    private static func makeEngine(configuration: PortableServiceConfiguration) throws -> PortableEngine {
        do {
            var engineConfiguration = try EngineConfiguration(
                root: configuration.root ?? "/",
                scope: configuration.scope,
                user: configuration.userDirectories,
                berthProfileDirectories: configuration.profileDirectory.map { [$0] }
            )
            if let opener = configuration.rawImageOpener { engineConfiguration.rawImageOpener = opener }
            return try PortableEngine(configuration: engineConfiguration, serviceManager: configuration.serviceManager)
        } catch {
            throw PortableErrorMapping.wireError(for: error)
        }
    }

    // MARK: - Plumbing

    /// Refuses a call meant for the other scope: the system's berthd never touches a user's tree, and a
    /// user's berthd never the system's. No scope in the call means "whichever this berthd serves".
    func checkScope(_ requested: Portable.Scope?) throws(Portable.Error) {
        let served: Portable.Scope = engine.configuration.scope == .user ? .user : .system
        guard let requested, requested != served else { return }
        throw Portable.Error.scopeMismatch(requested: requested, served: served)
    }

    /// Refuses a call its caller may not make (`Authorization`: root, polkit, the admin group).
    /// In-process callers (no `Caller.current`) act with their own privileges and are not asked;
    /// a user's berthd serves its owner (its socket lives in the owner's 0700 runtime directory).
    /// A D-Bus call asks at most once per action (the adapter may ask before checking arguments).
    package func authorize(_ method: String, images: [String] = [], interactive: Bool?) async throws(Portable.Error) {
        guard let caller = Caller.current, let action = Authorization.action(for: method, images: images) else {
            return
        }
        if engine.configuration.scope == .user, caller.uid == getuid() { return }
        let bus = Caller.bus
        if bus?.wasGranted(action) == true { return }
        let subject = bus.map { PolkitSubject.busName($0.uniqueName) } ?? Authorization.processSubject(caller)
        let (decision, reason) = await authorization.decide(
            action,
            credentials: caller,
            subject: subject,
            interactive: interactive == true || bus?.allowsInteractiveAuthorization == true
        )
        guard decision != .allowed else {
            bus?.grant(action)
            return
        }
        logger.info(
            "refused \(method)",
            metadata: [
                "peer.uid": "\(caller.uid)", "peer.gid": "\(caller.gid)", "peer.pid": "\(caller.pid)",
                "polkit.action": "\(action.rawValue)", "authorization.by": "\(reason)",
            ]
        )
        if decision == .interactionRequired { throw .interactiveAuthenticationRequired(operation: method) }
        throw .permissionDenied(operation: method)
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
