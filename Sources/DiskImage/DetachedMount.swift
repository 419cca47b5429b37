package import SystemCalls

#if canImport(Glibc)
import Glibc
#endif

/// A read-only file system mounted with the new mount API and attached to **no** mount namespace.
///
/// `fsopen` → `fsconfig(source, ro)` → `fsmount` yields an fd for a mount that exists only as long as
/// some fd refers to it. Nothing appears in `/proc/self/mountinfo`, so there is no mount point to
/// clean up, no private namespace is needed to hide it, and a crash cannot leak it: the kernel
/// unmounts it when the last fd closes (which in turn lets the autoclear loop device go away).
package final class DetachedMount: @unchecked Sendable {
    /// The mount's root as an `O_PATH` fd (what `fsmount` returns).
    private var mountDescriptor: FileDescriptor?
    /// The same root opened as a directory, for `openat2`/`getdents`.
    private var rootDescriptor: FileDescriptor?
    package let fileSystem: FileSystemKind

    /// Takes over an already built detached mount (`mount`) and its opened root directory.
    init(mount: FileDescriptor, root: FileDescriptor, fileSystem: FileSystemKind) {
        self.mountDescriptor = mount
        self.rootDescriptor = root
        self.fileSystem = fileSystem
    }

    /// The `O_PATH` mount fd (for `move_mount`); valid until `close()`.
    var mountFileDescriptor: FileDescriptor? { mountDescriptor }

    init(device: String, fileSystem: FileSystemKind, imagePath: String) throws(DiskImageError) {
        self.fileSystem = fileSystem
        let context: FileDescriptor
        do {
            context = try MountAPI.openFileSystem(type: fileSystem.rawValue)
        } catch {
            throw DiskImageError(
                path: imagePath,
                reason: error.errno == ENODEV
                    ? .unsupportedFileSystem("\(fileSystem.rawValue) is not supported by this kernel")
                    : .mount(error)
            )
        }
        defer { context.close() }
        do {
            try MountAPI.setString(context, key: "source", value: device)
            try MountAPI.setFlag(context, key: "ro")
            try MountAPI.create(context)
        } catch {
            // EINVAL/EUCLEAN/EIO from create: the kernel rejected the superblock.
            let rejected = error.errno == EINVAL || error.errno == EUCLEAN || error.errno == EIO
            throw DiskImageError(
                path: imagePath,
                reason: rejected
                    ? .unsupportedFileSystem("the kernel rejected the \(fileSystem.rawValue) superblock (\(error))")
                    : .mount(error)
            )
        }
        do {
            let mount = try MountAPI.mount(context, attributes: [.readOnly, .noDevices, .noSetUserID, .noExecute])
            mountDescriptor = mount
            rootDescriptor = try mount.openat(".", flags: [.readOnly, .directory])
        } catch {
            mountDescriptor?.close()
            mountDescriptor = nil
            throw DiskImageError(path: imagePath, reason: .mount(error))
        }
    }

    /// The root directory fd; valid until `close()`.
    package var rootDirectory: FileDescriptor? { rootDescriptor }

    package func close() {
        rootDescriptor?.close()
        rootDescriptor = nil
        mountDescriptor?.close()
        mountDescriptor = nil
    }

    deinit { close() }
}
