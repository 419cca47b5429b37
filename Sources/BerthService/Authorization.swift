#if canImport(Glibc)
import Glibc
#endif

/// Who may do what: reading methods are open to everyone; mutating methods need root or
/// membership in the configured group.
///
/// Membership comes from the credentials the kernel recorded when the client connected
/// (SO_PEERCRED uid and primary gid) and from the group database (the user listed as a member).
/// `/proc/<pid>/status` is deliberately not used: the pid may be reused by another process after
/// the client exits while its socket lives on in a child.
package struct Authorization: Sendable {
    /// The methods that change the system.
    package static let mutatingMethods: Set<String> = [
        "AttachImage", "DetachImage", "ReattachImage", "RemoveImage", "SetImageReadOnly", "SetImageLimit",
        "SetPoolLimit",
    ]

    package var authorizedGroup: UInt32?

    package init(authorizedGroup: UInt32?) {
        self.authorizedGroup = authorizedGroup
    }

    /// Whether a caller with these credentials may call `method` (name without the interface).
    package func allows(method: String, uid: UInt32, gid: UInt32) -> Bool {
        guard Self.mutatingMethods.contains(method) else { return true }
        if uid == 0 { return true }
        guard let group = authorizedGroup else { return false }
        if gid == group { return true }
        return Self.user(uid, isListedIn: group)
    }

    /// Whether the user named by `uid` is a listed member of `group` or has it as primary group.
    package static func user(_ uid: UInt32, isListedIn group: UInt32) -> Bool {
        guard let name = userName(uid) else { return false }
        var entry = passwd()
        var storage = [CChar](repeating: 0, count: 16_384)
        var result: UnsafeMutablePointer<passwd>?
        if getpwuid_r(uid, &entry, &storage, storage.count, &result) == 0, result != nil, entry.pw_gid == group {
            return true
        }
        var groupEntry = Glibc.group()
        var groupStorage = [CChar](repeating: 0, count: 65_536)
        var groupResult: UnsafeMutablePointer<Glibc.group>?
        guard getgrgid_r(group, &groupEntry, &groupStorage, groupStorage.count, &groupResult) == 0,
            groupResult != nil, var member = groupEntry.gr_mem
        else { return false }
        while let pointer = member.pointee {
            if String(cString: pointer) == name { return true }
            member += 1
        }
        return false
    }

    private static func userName(_ uid: UInt32) -> String? {
        var entry = passwd()
        var storage = [CChar](repeating: 0, count: 16_384)
        var result: UnsafeMutablePointer<passwd>?
        guard getpwuid_r(uid, &entry, &storage, storage.count, &result) == 0, result != nil, let name = entry.pw_name
        else { return nil }
        return String(cString: name)
    }
}
