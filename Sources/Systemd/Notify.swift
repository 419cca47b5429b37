internal import CSystemd
import SystemCalls

#if canImport(Glibc)
import Glibc
#endif

/// Service-manager notifications (`sd_notify(3)`): readiness, status lines, shutdown.
///
/// Every function returns whether a message was actually sent: `false` means `NOTIFY_SOCKET`
/// is unset (not started by systemd with `Type=notify`), which is not an error.
package enum Notify {
    /// Sends raw `KEY=VALUE` lines, newline-separated, as `sd_notify` expects.
    ///
    /// - Throws: `.invalidArgument` for a state with NUL bytes, `.systemCall` when the notification
    ///   socket exists but the datagram could not be sent.
    @discardableResult
    package static func send(_ state: String, unsetEnvironment: Bool = false) throws(SystemdError) -> Bool {
        guard !state.utf8.contains(0) else { throw .invalidArgument("notification contains a NUL byte") }
        // sd_notify sends nothing without NOTIFY_SOCKET: a process not started by systemd does not load it.
        guard isAvailable else { return false }
        try SystemdLibrary.load()
        let result = sd_notify(unsetEnvironment ? 1 : 0, state)
        if result < 0 {
            throw .systemCall(.init(call: "sd_notify", errno: -result, detail: firstLine(of: state)))
        }
        return result > 0
    }

    /// `READY=1`, with an optional `STATUS=` line: the service is up and its sockets are served.
    @discardableResult
    package static func ready(status: String? = nil) throws(SystemdError) -> Bool {
        try send(lines(["READY=1"], status: status))
    }

    /// `STATUS=`: free-form text shown by `systemctl status`.
    @discardableResult
    package static func status(_ text: String) throws(SystemdError) -> Bool {
        try send(lines([], status: text))
    }

    /// `STOPPING=1`: shutdown has begun; systemd will not treat the exit as a crash.
    @discardableResult
    package static func stopping(status: String? = nil) throws(SystemdError) -> Bool {
        try send(lines(["STOPPING=1"], status: status))
    }

    /// `RELOADING=1` plus the `MONOTONIC_USEC=` timestamp systemd ≥ 253 requires for `Type=notify-reload`.
    @discardableResult
    package static func reloading() throws(SystemdError) -> Bool {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let usec = UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1000
        return try send("RELOADING=1\nMONOTONIC_USEC=\(usec)")
    }

    /// `MAINPID=`: tells systemd which process is the main one (for daemons that fork).
    @discardableResult
    package static func mainPID(_ pid: Int32) throws(SystemdError) -> Bool {
        try send("MAINPID=\(pid)")
    }

    /// `WATCHDOG=1`: keep-alive ping; send it at half of `watchdogInterval`.
    @discardableResult
    package static func watchdog() throws(SystemdError) -> Bool {
        try send("WATCHDOG=1")
    }

    /// The watchdog interval systemd expects pings at (`WatchdogSec=`), or nil when disabled.
    package static var watchdogInterval: Duration? {
        var usec: UInt64 = 0
        guard getenv("WATCHDOG_USEC") != nil, case .success = SystemdLibrary.shared else { return nil }
        guard sd_watchdog_enabled(0, &usec) > 0, usec > 0 else { return nil }
        return .microseconds(Int64(clamping: usec))
    }

    /// Whether `NOTIFY_SOCKET` is set, i.e. notifications go somewhere.
    package static var isAvailable: Bool { getenv("NOTIFY_SOCKET") != nil }

    private static func lines(_ fields: [String], status: String?) -> String {
        var all = fields
        if let status {
            // STATUS= is a single line: a newline would start a new (bogus) assignment.
            let flattened = String(
                decoding: status.utf8.map { $0 == UInt8(ascii: "\n") ? UInt8(ascii: " ") : $0 },
                as: UTF8.self
            )
            all.append("STATUS=\(flattened)")
        }
        // Joined by hand: the first `joined(separator:)` of a process resolves an associated type of the
        // unspecialised stdlib generic by its mangled name, 0.12 M instructions of berthd's start.
        var text = ""
        for (index, line) in all.enumerated() { text += index == 0 ? line : "\n" + line }
        return text
    }

    private static func firstLine(of state: String) -> String {
        String(state.prefix { $0 != "\n" })
    }
}
