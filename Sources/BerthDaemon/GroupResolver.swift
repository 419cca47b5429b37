import Glibc

/// Turns `--group=` (a name or a numeric GID) into a GID, once, at startup.
enum GroupResolver {
    static func gid(for group: String) throws(DaemonConfigurationError) -> UInt32 {
        if let number = UInt32(group) { return number }
        var entry = group_buffer()
        var result: UnsafeMutablePointer<group>? = nil
        var buffer = [CChar](repeating: 0, count: 16 * 1024)
        let status = getgrnam_r(group, &entry.value, &buffer, buffer.count, &result)
        guard status == 0, let found = result else {
            let reason = status == 0 ? "no such group" : String(cString: strerror(status))
            throw DaemonConfigurationError(option: "--group", value: group, reason: reason)
        }
        return found.pointee.gr_gid
    }

    /// Holder so the C struct is zero-initialized in one place.
    private struct group_buffer {
        var value = group()
    }
}
