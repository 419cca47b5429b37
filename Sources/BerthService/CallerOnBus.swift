import Synchronization
import SystemCalls

/// A D-Bus caller as polkit needs it: its unique name (the `system-bus-name` subject), whether its
/// message allowed interactive authorization, and the actions already granted to this one call, so
/// a call that the adapter authorized before checking its arguments (portabled's order) is not asked
/// about twice.
package final class CallerOnBus: Sendable {
    package let uniqueName: String
    package let allowsInteractiveAuthorization: Bool
    private let granted = Lock<Set<Authorization.Action>>([])

    package init(uniqueName: String, allowsInteractiveAuthorization: Bool) {
        self.uniqueName = uniqueName
        self.allowsInteractiveAuthorization = allowsInteractiveAuthorization
    }

    func wasGranted(_ action: Authorization.Action) -> Bool {
        granted.withLock { $0.contains(action) }
    }

    func grant(_ action: Authorization.Action) {
        _ = granted.withLock { $0.insert(action) }
    }
}
