package import Logging
package import Varlink

/// Builds the io.berth.Portable interface from the BerthService module.
///
/// Kept in one place so the daemon wiring does not change when the service's constructor does.
package enum PortableInterfaceFactory {
    package static func make(
        configuration: DaemonConfiguration,
        authorizedGroup: UInt32?,
        logger: Logger
    ) -> [any VarlinkInterface] {
        // io.berth.Portable is registered here once BerthService provides its constructor.
        []
    }
}
