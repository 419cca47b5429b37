package import PortableEngine

/// Settings berthd hands to the io.berth.Portable service. Every field has a working default.
package struct PortableServiceConfiguration: Sendable {
    /// Members of this group (besides root) may call mutating methods. nil (the default): root only.
    package var authorizedGroup: UInt32?
    /// An offline tree to operate on instead of the running system (tests, image builders); nil = "/".
    package var root: String?
    /// Who reloads, enables and starts units: berthd passes PID 1 (sd-bus) when systemd runs;
    /// the default does the file work only, as `--root` always does.
    package var serviceManager: any ServiceManager
    /// At most this many operations run or wait at once; more get TooManyOperations (portabled: 64).
    package var maximumOperations: Int
    /// Berth's own profile directory (after systemd's); nil = the engine's default lookup.
    package var profileDirectory: String?
    /// Finish interrupted transactions when the service starts (berthd). `berthctl --root` asks for it
    /// before each change instead (`recoverInterruptedOperations()`), so it can print what it did.
    package var recoversAtStart: Bool

    package init(
        authorizedGroup: UInt32? = nil,
        root: String? = nil,
        serviceManager: any ServiceManager = OfflineServiceManager(),
        maximumOperations: Int = 64,
        profileDirectory: String? = nil,
        recoversAtStart: Bool = true
    ) {
        self.authorizedGroup = authorizedGroup
        self.root = root
        self.serviceManager = serviceManager
        self.maximumOperations = maximumOperations
        self.profileDirectory = profileDirectory
        self.recoversAtStart = recoversAtStart
    }
}
