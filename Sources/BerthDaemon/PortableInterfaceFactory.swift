package import BerthService
package import Logging
import PortableEngine
import Systemd
package import Varlink

/// Builds the io.berth.Portable interface from the BerthService module, with PID 1 as its service
/// manager when systemd runs.
///
/// Kept in one place so the daemon wiring does not change when the service's constructor does.
package enum PortableInterfaceFactory {
    /// The service's configuration, derived from berthd's command line.
    package static func serviceConfiguration(
        _ configuration: DaemonConfiguration,
        authorizedGroup: UInt32?,
        logger: Logger
    ) -> PortableServiceConfiguration {
        var service = PortableServiceConfiguration()
        service.authorizedGroup = authorizedGroup
        // Non-root callers are asked of polkit on the system bus; without polkit there, the group decides.
        service.polkit = PolkitAuthority()
        service.root = configuration.root
        service.serviceManager = serviceManager(configuration, logger: logger)
        if talksToPID1(configuration) { service.unitSignals = SystemdUnitSignals(manager: SystemdManager()) }
        service.profileDirectory = configuration.profileDirectory
        service.scope = configuration.scope
        // A user cannot set up loop devices: as portabled 260, the user's berthd has systemd-mountfsd
        // mount raw images (an offline --root tree keeps the engine's own opener).
        if configuration.scope == .user, configuration.root == nil {
            service.rawImageOpener = MountfsdImageOpener()
        }
        return service
    }

    /// PID 1 over sd-bus when it is systemd and neither --root nor --no-pid1 was given; otherwise the
    /// file work only (said once in the log when systemd was expected).
    private static func serviceManager(_ configuration: DaemonConfiguration, logger: Logger) -> any ServiceManager {
        if talksToPID1(configuration) {
            // The user scope's manager is the user's systemd, reached on its private socket as
            // `systemctl --user` does (no session bus needed).
            let connection: SystemdManager.Connection = configuration.scope == .user ? .userManager : .automatic
            return SystemdServiceManager(manager: SystemdManager(connection: connection))
        }
        if configuration.usePID1 && configuration.root == nil {
            logger.notice("PID 1 is not systemd: attach and detach do the file work only (no reload, enable or start)")
        }
        return OfflineServiceManager()
    }

    private static func talksToPID1(_ configuration: DaemonConfiguration) -> Bool {
        configuration.usePID1 && configuration.root == nil && SystemdServiceManager.systemdIsRunning
    }

    /// `berthd --recover` (berthd-recover.service, early at boot): the same recovery as every start,
    /// then a daemon-reload if it changed anything, so PID 1 never keeps a half-written attachment it
    /// loaded before berthd first ran. Returns the steps taken.
    package static func recover(configuration: DaemonConfiguration, logger: Logger) throws -> [String] {
        var service = serviceConfiguration(configuration, authorizedGroup: nil, logger: logger)
        service.recoversAtStart = false
        let report = try PortableService(configuration: service, logger: logger).recoverInterruptedOperations()
        if !report.isEmpty, talksToPID1(configuration) {
            try SystemdManager(connection: configuration.scope == .user ? .userManager : .automatic).reload()
        }
        return report
    }

    /// The one service both front doors (Varlink, D-Bus) call.
    package static func makeService(
        configuration: DaemonConfiguration,
        authorizedGroup: UInt32?,
        logger: Logger
    ) throws -> PortableService {
        let service = serviceConfiguration(configuration, authorizedGroup: authorizedGroup, logger: logger)
        return try PortableService(configuration: service, logger: logger)
    }

    /// The interfaces to register next to io.systemd.service.
    ///
    /// - Throws: what the service reports when it cannot start (e.g. an unreadable root); berthd
    ///   then exits 1 with that message, which systemd puts in the journal.
    package static func make(
        configuration: DaemonConfiguration,
        authorizedGroup: UInt32?,
        logger: Logger
    ) throws -> [any VarlinkInterface] {
        let service = serviceConfiguration(configuration, authorizedGroup: authorizedGroup, logger: logger)
        return [try PortableService.makeInterface(configuration: service, logger: logger)]
    }
}
