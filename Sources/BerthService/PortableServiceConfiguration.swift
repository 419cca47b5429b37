/// Settings berthd hands to the io.berth.Portable service. Every field has a working default.
package struct PortableServiceConfiguration: Sendable {
    /// Members of this group (besides root) may call mutating methods. nil (the default): root only.
    package var authorizedGroup: UInt32?
    /// An offline tree to operate on instead of the running system (tests, image builders); nil = "/".
    package var root: String?
    /// Talk to PID 1 over sd-bus when it is systemd. false: file work only, as with --root.
    package var usePID1: Bool
    /// At most this many operations run or wait at once; more get TooManyOperations (portabled: 64).
    package var maximumOperations: Int
    /// Berth's own profile directory (after systemd's); nil = the engine's default lookup.
    package var profileDirectory: String?

    package init(
        authorizedGroup: UInt32? = nil,
        root: String? = nil,
        usePID1: Bool = true,
        maximumOperations: Int = 64,
        profileDirectory: String? = nil
    ) {
        self.authorizedGroup = authorizedGroup
        self.root = root
        self.usePID1 = usePID1
        self.maximumOperations = maximumOperations
        self.profileDirectory = profileDirectory
    }
}
