package import BerthService
package import Logging
package import Varlink

/// Builds the io.berth.Portable interface from the BerthService module.
///
/// Kept in one place so the daemon wiring does not change when the service's constructor does.
package enum PortableInterfaceFactory {
    /// The service's configuration, derived from berthd's command line.
    package static func serviceConfiguration(
        _ configuration: DaemonConfiguration,
        authorizedGroup: UInt32?
    ) -> PortableServiceConfiguration {
        PortableServiceConfiguration(
            authorizedGroup: authorizedGroup,
            root: configuration.root,
            usePID1: configuration.usePID1 && configuration.root == nil,
            profileDirectory: configuration.profileDirectory
        )
    }

    /// `berthd --recover`: repairs what interrupted operations left; returns the steps taken.
    package static func recover(configuration: DaemonConfiguration, logger: Logger) throws -> [String] {
        let service = serviceConfiguration(configuration, authorizedGroup: nil)
        return try PortableService.recoverInterruptedOperations(configuration: service, logger: logger)
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
        let service = serviceConfiguration(configuration, authorizedGroup: authorizedGroup)
        return [try PortableService.makeInterface(configuration: service, logger: logger)]
    }
}
