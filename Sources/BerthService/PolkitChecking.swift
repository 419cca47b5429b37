package import Systemd

/// polkit's CheckAuthorization, as the service needs it. berthd injects polkitd's sd-bus client
/// (`PolkitAuthority`, which connects only when asked, so BerthService works without a bus, as in
/// `berthctl --root`); nil in the configuration means no polkit, so the admin group decides.
package protocol PolkitChecking: Sendable {
    /// polkit's answer for `subject` and the action id; `.unavailable` when polkit is not on the bus.
    /// A failure of the question itself is thrown (and refuses the call).
    func check(action: String, subject: PolkitSubject, interactive: Bool) async throws -> PolkitVerdict
}

extension PolkitAuthority: PolkitChecking {}
