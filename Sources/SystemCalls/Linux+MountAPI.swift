internal import CLinuxShims

#if canImport(Glibc)
import Glibc
#endif

/// The new mount API: a file system is configured on an fs-context fd and turned into a
/// **detached mount** (an fd referring to a mount that is attached to no mount namespace).
///
/// Detached mounts are why raw images need no private namespace and no mount-point cleanup: nothing
/// is visible in any namespace, and when the last fd referring to the mount is closed (including
/// when the process crashes) the kernel unmounts it. Nothing can leak.
package enum MountAPI {
    /// Mount attributes (`MOUNT_ATTR_*`) for `fsmount` and `mount_setattr`.
    package struct Attributes: OptionSet, Sendable, Hashable {
        package let rawValue: UInt32
        package init(rawValue: UInt32) { self.rawValue = rawValue }

        package static let readOnly = Attributes(rawValue: BERTH_MOUNT_ATTR_RDONLY)
        package static let noSetUserID = Attributes(rawValue: BERTH_MOUNT_ATTR_NOSUID)
        package static let noDevices = Attributes(rawValue: BERTH_MOUNT_ATTR_NODEV)
        package static let noExecute = Attributes(rawValue: BERTH_MOUNT_ATTR_NOEXEC)
    }

    /// `fsopen(type, FSOPEN_CLOEXEC)`: a new file-system context. `ENODEV` = type not in this kernel.
    package static func openFileSystem(type: String) throws(SystemCallError) -> FileDescriptor {
        let fd = try Syscall.retrying("fsopen", detail: type) { berth_fsopen(type, BERTH_FSOPEN_CLOEXEC) }
        return FileDescriptor(rawValue: fd)
    }

    /// `fsconfig(FSCONFIG_SET_STRING)`, e.g. `source` = `/dev/loop7`.
    package static func setString(_ context: FileDescriptor, key: String, value: String) throws(SystemCallError) {
        _ = try Syscall.retrying("fsconfig", detail: key) {
            berth_fsconfig(context.rawValue, BERTH_FSCONFIG_SET_STRING, key, value, 0)
        }
    }

    /// `fsconfig(FSCONFIG_SET_FLAG)`, e.g. `ro`.
    package static func setFlag(_ context: FileDescriptor, key: String) throws(SystemCallError) {
        _ = try Syscall.retrying("fsconfig", detail: key) {
            berth_fsconfig(context.rawValue, BERTH_FSCONFIG_SET_FLAG, key, nil, 0)
        }
    }

    /// `fsconfig(FSCONFIG_CMD_CREATE)`: reads the superblock; most "bad file system" errors surface here.
    package static func create(_ context: FileDescriptor) throws(SystemCallError) {
        _ = try Syscall.retrying("fsconfig", detail: "create") {
            berth_fsconfig(context.rawValue, BERTH_FSCONFIG_CMD_CREATE, nil, nil, 0)
        }
    }

    /// `fsmount(context, FSMOUNT_CLOEXEC, attributes)`: the detached mount's root as an `O_PATH` fd.
    package static func mount(
        _ context: FileDescriptor,
        attributes: Attributes
    ) throws(SystemCallError) -> FileDescriptor {
        let fd = try Syscall.retrying("fsmount") {
            berth_fsmount(context.rawValue, BERTH_FSMOUNT_CLOEXEC, attributes.rawValue)
        }
        return FileDescriptor(rawValue: fd)
    }

    /// `move_mount(mount, "", target, path, MOVE_MOUNT_F_EMPTY_PATH)`: attaches a detached mount inside
    /// another one (a `/usr` partition into its tmpfs root), so nothing becomes visible in any namespace.
    package static func attach(
        _ mount: FileDescriptor,
        to directory: FileDescriptor,
        path: String
    ) throws(SystemCallError) {
        _ = try Syscall.retrying("move_mount", detail: path) {
            berth_move_mount(mount.rawValue, "", directory.rawValue, path, BERTH_MOVE_MOUNT_F_EMPTY_PATH)
        }
    }

    /// `mount_setattr(mount, "", AT_EMPTY_PATH [| AT_RECURSIVE], set, clear)`.
    package static func setAttributes(
        _ mount: FileDescriptor,
        set: Attributes,
        clear: Attributes = [],
        recursive: Bool = false
    ) throws(SystemCallError) {
        var flags = BERTH_AT_EMPTY_PATH
        if recursive { flags |= BERTH_AT_RECURSIVE }
        _ = try Syscall.retrying("mount_setattr") {
            berth_mount_setattr_flags(mount.rawValue, "", flags, UInt64(set.rawValue), UInt64(clear.rawValue))
        }
    }
}
