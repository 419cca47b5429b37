package import PortableEngine

/// Settings berthd hands to the io.berth.Portable service. Every field has a working default, so
/// `PortableServiceConfiguration()` serves `/` doing the file work only; callers change what they need.
package struct PortableServiceConfiguration: Sendable {
    /// Members of this group (besides root) may call mutating methods. nil (the default): root only.
    package var authorizedGroup: UInt32?
    /// polkit, asked for callers other than root before the group; nil (the default): the group only.
    package var polkit: (any PolkitChecking)?
    /// An offline tree to operate on instead of the running system (tests, image builders); nil = "/".
    package var root: String?
    /// Who reloads, enables and starts units: berthd passes PID 1 (sd-bus) when systemd runs;
    /// the default does the file work only, as `--root` always does.
    package var serviceManager: any ServiceManager = OfflineServiceManager()
    /// At most this many operations run or wait at once; more get TooManyOperations (portabled: 64).
    package var maximumOperations = 64
    /// Berth's own profile directory (after systemd's); nil = the engine's default lookup.
    package var profileDirectory: String?
    /// Finish interrupted transactions when the service starts (berthd). `berthctl --root` asks for it
    /// before each change instead (`recoverInterruptedOperations()`), so it can print what it did.
    package var recoversAtStart = true
    /// The service manager served: PID 1's (default) or one user's (`berthd --user`, `berthctl --user`).
    package var scope: PortableScope = .system
    /// The user's directories in user scope; nil takes them from the process environment.
    package var userDirectories: UserDirectories?
    /// How raw images are opened; nil: the engine's default (loop devices through the DiskImage module).
    /// A user's berthd passes `MountfsdImageOpener`.
    package var rawImageOpener: (any RawImageOpener)?
    /// PID 1's unit signals for WatchImages (berthd: sd-bus); nil: watchers see file changes only.
    package var unitSignals: (any UnitChangeSignals)?
    /// How long WatchImages lets a burst of file changes settle before comparing states.
    package var watchSettleTime: Duration = .milliseconds(10)

    package init() {}
}
