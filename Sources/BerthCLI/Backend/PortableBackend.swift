/// Where a verb's work happens: in process on the engine (`--root=DIR`) or in berthd over Varlink.
package protocol PortableBackend: Sendable {
    func listImages() async throws -> [CLIImageSummary]
    func inspect(_ request: CLIInspectRequest) async throws -> CLIImageMetadata
    func state(_ request: CLIStateRequest) async throws -> String
    func attach(_ request: CLIAttachRequest) async throws -> CLIOperationResult
    func reattach(_ request: CLIAttachRequest) async throws -> CLIReattachResult
    func detach(_ request: CLIDetachRequest) async throws -> CLIOperationResult
    func remove(image: String) async throws
    func setReadOnly(image: String, readOnly: Bool) async throws
    /// `image` nil = the pool; `limit` nil = unlimited.
    func setLimit(image: String?, limit: UInt64?) async throws
    func profiles() async throws -> [String]
}

/// Operations on PID 1 requested together with attach/detach (berthd, not the client, talks to PID 1).
package struct ServiceManagerFlags: Sendable, Equatable {
    package var runtime = false
    package var enable = false
    package var now = false
    package var noBlock = false
    package var noReload = false

    package init() {}
}

package struct CLIAttachRequest: Sendable, Equatable {
    package var image: String
    package var extensions: [String]
    package var matches: [String]
    package var profile: String
    package var copyMode: String
    package var force: Bool
    package var flags: ServiceManagerFlags
    /// `--key-file=` contents for an encrypted image.
    package var key: [UInt8]?

    package init(
        image: String,
        extensions: [String] = [],
        matches: [String] = [],
        profile: String = "default",
        copyMode: String = "auto",
        force: Bool = false,
        flags: ServiceManagerFlags = ServiceManagerFlags(),
        key: [UInt8]? = nil
    ) {
        self.image = image
        self.extensions = extensions
        self.matches = matches
        self.profile = profile
        self.copyMode = copyMode
        self.force = force
        self.flags = flags
        self.key = key
    }
}

package struct CLIDetachRequest: Sendable, Equatable {
    package var image: String
    package var extensions: [String]
    /// Used only to find the units to stop/disable with --now/--enable.
    package var matches: [String]
    package var force: Bool
    package var flags: ServiceManagerFlags

    package init(
        image: String,
        extensions: [String] = [],
        matches: [String] = [],
        force: Bool = false,
        flags: ServiceManagerFlags = ServiceManagerFlags()
    ) {
        self.image = image
        self.extensions = extensions
        self.matches = matches
        self.force = force
        self.flags = flags
    }
}

package struct CLIInspectRequest: Sendable, Equatable {
    package var image: String
    package var extensions: [String]
    /// Empty = derive from the image (name, then PORTABLE_PREFIXES=); ["-"] = every unit.
    package var matches: [String]
    package var force: Bool
    /// `--key-file=` contents for an encrypted image.
    package var key: [UInt8]?

    package init(
        image: String,
        extensions: [String] = [],
        matches: [String] = [],
        force: Bool = false,
        key: [UInt8]? = nil
    ) {
        self.image = image
        self.extensions = extensions
        self.matches = matches
        self.force = force
        self.key = key
    }
}

package struct CLIStateRequest: Sendable, Equatable {
    package var image: String
    package var extensions: [String]
    package var force: Bool

    package init(image: String, extensions: [String] = [], force: Bool = false) {
        self.image = image
        self.extensions = extensions
        self.force = force
    }
}
