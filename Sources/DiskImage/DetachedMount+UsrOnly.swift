internal import SystemCalls

#if canImport(Glibc)
import Glibc
#endif

extension DetachedMount {
    /// For images that carry only a `/usr` partition (typical for sysext): a tiny read-only tmpfs root
    /// with the usr file system attached at `/usr`, all of it one detached mount tree.
    ///
    /// `move_mount` into a detached tree needs Linux 6.15+; the tree is still attached to no namespace,
    /// and closing the root fds unmounts both file systems together.
    static func usrOnlyRoot(usr: DetachedMount, imagePath: String) throws(DiskImageError) -> DetachedMount {
        func failure(_ error: SystemCallError) -> DiskImageError {
            DiskImageError(path: imagePath, reason: .mount(error))
        }
        guard let usrMount = usr.mountFileDescriptor else {
            throw failure(SystemCallError(call: "fsmount", errno: EBADF, detail: "usr"))
        }
        let context: FileDescriptor
        do { context = try MountAPI.openFileSystem(type: "tmpfs") } catch { throw failure(error) }
        defer { context.close() }
        var tmpfs: FileDescriptor?
        do throws(SystemCallError) {
            try MountAPI.setString(context, key: "mode", value: "0755")
            try MountAPI.setString(context, key: "size", value: "64k")
            try MountAPI.create(context)
            let mount = try MountAPI.mount(context, attributes: [.noDevices, .noSetUserID, .noExecute])
            tmpfs = mount
            try mount.makeDirectory("usr", mode: 0o755)
            try MountAPI.attach(usrMount, to: mount, path: "usr")
            try MountAPI.setAttributes(mount, set: .readOnly)
            let root = try mount.openat(".", flags: [.readOnly, .directory])
            usr.close()  // the usr mount now lives on inside the tmpfs tree
            return DetachedMount(mount: mount, root: root, fileSystem: usr.fileSystem)
        } catch {
            tmpfs?.close()
            throw failure(error)
        }
    }
}
