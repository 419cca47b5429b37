import BerthDBus
package import BerthService
package import Logging
import Synchronization
import SystemCalls
package import Systemd
package import Varlink

/// berthd's second front door: org.freedesktop.portable1 on the system bus (a user's berthd: on that
/// user's bus, as `systemd-portabled --user`), on a thread of its own, served by the same
/// `PortableService` as the Varlink side.
///
/// Idle exit covers both buses: the bus loop exits only after `idleTimeout` without D-Bus calls while
/// the Varlink server has no connection, no call and nothing in its backlog; it releases the name,
/// answers what still arrived, then stops the Varlink server.
package final class BusFrontDoor: Sendable {
    private let bus: BusObjectServer
    private let finished = Lock<BusObjectServer.StopReason?>(nil)
    private let doneFD: Int32
    private let logger: Logger

    /// Connects, registers the objects, takes the name and starts serving.
    package init(
        service: PortableService,
        server: VarlinkServer,
        on messageBus: MessageBus,
        idleTimeout: Duration?,
        logTarget: String,
        logger: Logger
    ) throws {
        bus = try BusObjectServer(bus: messageBus, name: PortableBusSchema.busName)
        doneFD = try Linux.eventFD()
        self.logger = logger
        let adapter = PortableBusAdapter(service: service, logTarget: logTarget)
        for path in [PortableBusSchema.managerPath, PortableBusSchema.logControlPath] {
            try bus.serve(path: path, needsSender: PortableBusAdapter.needsSender) { adapter.handle($0) }
        }
        try bus.requestName()
        try Posix.startThread { [self] in
            let reason: BusObjectServer.StopReason
            do {
                reason = try bus.run(idleTimeout: idleTimeout) {
                    let activity = server.activity
                    return activity.connections == 0 && activity.callsInFlight == 0 && !server.hasPendingConnection
                }
            } catch {
                logger.error("D-Bus front door failed: \(error)")
                reason = .disconnected
            }
            finished.withLock { $0 = reason }
            Linux.eventFDSignal(doneFD)
            // The Varlink side ends with the bus side, whichever way the bus side ended.
            server.shutdown()
        }
    }

    /// Stops the bus side after it answered what it received and waits for it; returns why it ended.
    package func finish() -> BusObjectServer.StopReason {
        bus.stop()
        while finished.withLock({ $0 }) == nil {
            _ = try? Posix.poll(doneFD, for: .readable, timeoutMilliseconds: 1000)
        }
        return finished.withLock { $0 } ?? .stopped
    }
}
