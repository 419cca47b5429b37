package import SystemCalls
package import Systemd

#if canImport(Glibc)
import Glibc
#endif

/// Who may do what, decided once for both front doors as systemd-portabled decides it.
///
/// The method → polkit action table is portabled's: attach, detach and reattach need
/// `attach-images`; remove, read-only, limits need `manage-images`; inspecting an image named by a
/// path needs `inspect-images` (by name it is open, as are listing and states). Root (or the
/// service's own uid) is always allowed. Anyone else is asked of polkit on the system bus; where
/// polkit does not run (no owner, not activatable, no bus), the configured admin group decides.
///
/// Group membership comes from the credentials the kernel recorded when the client connected
/// (SO_PEERCRED uid and primary gid) and from the group database (the user listed as a member).
package struct Authorization: Sendable {
    /// portabled's polkit actions (org.freedesktop.portable1.policy, shipped by systemd).
    package enum Action: String, Sendable, Hashable, CaseIterable {
        case inspectImages = "org.freedesktop.portable1.inspect-images"
        case attachImages = "org.freedesktop.portable1.attach-images"
        case manageImages = "org.freedesktop.portable1.manage-images"
    }

    /// The outcome for one call.
    package enum Decision: Sendable, Equatable {
        case allowed
        case denied
        /// polkit would allow it after authentication, which the caller did not allow.
        case interactionRequired
    }

    /// The methods that change the system, with the action each needs.
    package static let mutatingMethods: [String: Action] = [
        "AttachImage": .attachImages, "DetachImage": .attachImages, "ReattachImage": .attachImages,
        "RemoveImage": .manageImages, "SetImageReadOnly": .manageImages, "SetImageLimit": .manageImages,
        "SetPoolLimit": .manageImages,
    ]

    package var authorizedGroup: UInt32?
    /// Where to ask polkit; nil: the group rule only.
    package var polkit: (any PolkitChecking)?
    private let serviceUID = geteuid()

    package init(authorizedGroup: UInt32?, polkit: (any PolkitChecking)? = nil) {
        self.authorizedGroup = authorizedGroup
        self.polkit = polkit
    }

    /// The action `method` needs (name without the interface), or nil when it is open to everyone.
    /// `images` are the image arguments: inspecting by path needs `inspect-images`. portabled looks at
    /// the main image only; Berth also at extension paths, which it would open just the same.
    package static func action(for method: String, images: [String] = []) -> Action? {
        if method == "InspectImage" { return images.contains { $0.contains("/") } ? .inspectImages : nil }
        return mutatingMethods[method]
    }

    /// Decides `action` for a caller with these credentials, known to polkit as `subject`.
    package func decide(
        _ action: Action,
        credentials: PeerCredentials,
        subject: PolkitSubject,
        interactive: Bool
    ) async -> (Decision, reason: String) {
        if credentials.uid == 0 || credentials.uid == serviceUID { return (.allowed, "root") }
        if let polkit {
            do {
                switch try await polkit.check(action: action.rawValue, subject: subject, interactive: interactive) {
                case .authorized: return (.allowed, "polkit")
                case .challenge: return (.interactionRequired, "polkit")
                case .denied: return (.denied, "polkit")
                case .unavailable: break
                }
            } catch {
                return (.denied, "polkit: \(error)")
            }
        }
        return groupAllows(uid: credentials.uid, gid: credentials.gid) ? (.allowed, "group") : (.denied, "group")
    }

    /// The fallback without polkit: members of the configured group.
    package func groupAllows(uid: UInt32, gid: UInt32) -> Bool {
        if uid == 0 { return true }
        guard let group = authorizedGroup else { return false }
        if gid == group { return true }
        return Self.user(uid, isListedIn: group)
    }

    /// The polkit subject of a Varlink caller: pid, start time and uid (polkit 122 takes no pidfd).
    /// The start time makes polkit refuse a pid reused by another process; 0 (unreadable) lets
    /// polkit look it up itself.
    package static func processSubject(_ credentials: PeerCredentials) -> PolkitSubject {
        .unixProcess(pid: credentials.pid, startTime: startTime(of: credentials.pid) ?? 0, uid: credentials.uid)
    }

    /// Field 22 of /proc/PID/stat, counted after the command name, which may contain spaces and ')'.
    static func startTime(of pid: Int32) -> UInt64? {
        guard pid > 0,
            let file = try? FileDescriptor.currentWorkingDirectory.openat("/proc/\(pid)/stat", flags: [.readOnly])
        else { return nil }
        defer { file.close() }
        guard let bytes = try? file.readAll(limit: 4096) else { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        guard let end = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: end)...].split(separator: " ")
        // fields[0] is the state (field 3), so field 22 is fields[19].
        guard fields.count > 19 else { return nil }
        return UInt64(fields[19])
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
