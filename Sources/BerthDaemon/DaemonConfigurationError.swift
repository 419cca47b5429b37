/// A command line `berthd` cannot run with. Printed as `berthd: <description>` and exit code 2,
/// which systemd logs and shows in `systemctl status berthd` (`status=2/INVALIDARGUMENT`).
package struct DaemonConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    package var option: String
    package var value: String?
    package var reason: String

    package init(option: String, value: String? = nil, reason: String) {
        self.option = option
        self.value = value
        self.reason = reason
    }

    package var description: String {
        if let value { return "invalid \(option)=\(value): \(reason)" }
        return "\(option): \(reason)"
    }
}
