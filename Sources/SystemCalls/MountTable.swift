/// The mount table as `/proc/self/mountinfo` shows it, for what statfs cannot tell apart.
///
/// statfs' `ST_RDONLY` is set both when the file system itself is read-only and when only this
/// namespace's view of it is (a read-only bind mount, as `ProtectSystem=strict` makes of every
/// directory berthd does not write). mountinfo separates the two: the per-mount options come before
/// the `-`, the superblock's options after the file system type and source.
package enum MountTable {
    /// Whether the file system behind mount `mountID` (statx' `STATX_MNT_ID`) is mounted read-only
    /// at the superblock; nil when mountinfo cannot be read or does not list the mount.
    package static func superblockIsReadOnly(mountID: UInt64) -> Bool? {
        guard let text = try? mountInfo() else { return nil }
        return superblockIsReadOnly(mountID: mountID, in: text)
    }

    /// The same, on mountinfo text already read (one line per mount:
    /// `ID PARENT MAJ:MIN ROOT POINT MOUNT-OPTIONS [OPTIONAL…] - TYPE SOURCE SUPER-OPTIONS`).
    package static func superblockIsReadOnly(mountID: UInt64, in text: String) -> Bool? {
        let prefix = "\(mountID) "
        for line in text.split(separator: "\n") where line.hasPrefix(prefix) {
            let fields = line.split(separator: " ", omittingEmptySubsequences: false)
            guard let separator = fields.firstIndex(of: "-"), fields.count > separator + 3 else { return nil }
            return fields[separator + 3].split(separator: ",").contains("ro")
        }
        return nil
    }

    private static func mountInfo() throws(SystemCallError) -> String {
        let file = try FileDescriptor.currentWorkingDirectory.openat("/proc/self/mountinfo", flags: [.readOnly])
        defer { file.close() }
        return String(decoding: try file.readAll(limit: 16 << 20), as: UTF8.self)
    }
}
