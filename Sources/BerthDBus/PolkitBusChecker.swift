package import BerthService
import Systemd

/// The service's polkit question (`PolkitChecking`) answered by polkitd over sd-bus, for both front
/// doors: berthd injects it into `PortableServiceConfiguration`.
package struct PolkitBusChecker: PolkitChecking {
    let authority: PolkitAuthority

    /// - Parameter address: the bus polkitd serves; nil = the system bus (`DBUS_SYSTEM_BUS_ADDRESS` where set).
    package init(address: String? = nil) {
        authority = PolkitAuthority(address: address)
    }

    package func check(action: String, subject: PolkitSubject, interactive: Bool) async throws -> PolkitVerdict {
        let asked: PolkitAuthority.Subject =
            switch subject {
            case .busName(let name): .busName(name)
            case .unixProcess(let pid, let startTime, let uid): .unixProcess(pid: pid, startTime: startTime, uid: uid)
            }
        switch try await authority.check(action: action, subject: asked, interactive: interactive) {
        case .authorized: return .authorized
        case .challenge: return .challenge
        case .denied: return .denied
        case .unavailable: return .unavailable
        }
    }
}
