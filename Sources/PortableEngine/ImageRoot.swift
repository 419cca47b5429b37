import Synchronization
package import SystemCalls

#if canImport(Glibc)
import Glibc
#endif

/// An opened image: a directory fd that every in-image read goes through.
///
/// For directory and subvolume images this is the tree itself; for raw images it is the root of a
/// detached read-only mount made by a `RawImageOpener`. Releasing the object closes the fd and, for raw
/// images, the mount and loop device.
package final class ImageRoot: Sendable {
    /// The image path as seen inside the host tree.
    package let path: String
    package let kind: ImageKind
    /// `RootImagePolicy=`/`ExtensionImagePolicy=` text pinning a dissected raw image, if the opener gave one.
    package let pinnedPolicy: String?
    /// How a raw image was opened (partition table, file system, verity, encryption).
    package let disk: DiskDetails?
    let descriptor: FileDescriptor
    private let release: (@Sendable () -> Void)?
    /// Where `descriptor` points, from /proc/self/fd: read once, used for every file's resolved path.
    let descriptorTarget = Lock<String?>(nil)

    package init(
        path: String,
        kind: ImageKind,
        descriptor: FileDescriptor,
        pinnedPolicy: String? = nil,
        disk: DiskDetails? = nil,
        release: (@Sendable () -> Void)? = nil
    ) {
        self.path = path
        self.kind = kind
        self.descriptor = descriptor
        self.pinnedPolicy = pinnedPolicy
        self.disk = disk
        self.release = release
    }

    deinit {
        descriptor.close()
        release?()
    }
}

/// What a raw-image opener hands back: the root directory fd of the mounted image and a release action.
package struct RawImageHandle: Sendable {
    package var rootDirectory: FileDescriptor
    package var pinnedPolicy: String?
    package var disk: DiskDetails?
    package var release: @Sendable () -> Void

    package init(
        rootDirectory: FileDescriptor,
        pinnedPolicy: String? = nil,
        disk: DiskDetails? = nil,
        release: @escaping @Sendable () -> Void
    ) {
        self.rootDirectory = rootDirectory
        self.pinnedPolicy = pinnedPolicy
        self.disk = disk
        self.release = release
    }
}

/// The seam to the DiskImage module: opens a `.raw` file or block device read-only and returns its root.
package protocol RawImageOpener: Sendable {
    /// `file` is an fd of the image file (opened by the engine inside the host tree), `path` its tree
    /// path (for messages and errors), `machinePath` where it is on this machine (differs with `--root`).
    /// `key` unlocks an encrypted image; `allowInteractiveAuthentication` lets a service that mounts it
    /// for the engine (systemd-mountfsd) have polkit ask the caller.
    func openRawImage(
        file: FileDescriptor,
        path: String,
        machinePath: String,
        kind: ImageKind,
        key: ImageKey?,
        allowInteractiveAuthentication: Bool
    ) throws(PortableError)
        -> RawImageHandle

    /// What the image's headers say, without mounting or verifying (for `list`); nil if unreadable.
    func probeRawImage(file: FileDescriptor, path: String, machinePath: String) -> DiskDetails?

    /// Whether the opener itself decides if a user-scope caller may mount the image (systemd-mountfsd
    /// asks polkit), so the engine's own rule (`UserScopeRawImageRule`) does not apply.
    var decidesUserScopeTrust: Bool { get }
}

extension RawImageOpener {
    package var decidesUserScopeTrust: Bool { false }
}
