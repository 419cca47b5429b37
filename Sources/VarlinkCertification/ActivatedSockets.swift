import Glibc
import SystemCalls

/// Sockets passed by a service manager (`LISTEN_FDS`), as python, Go and systemd pass them.
///
/// Honoured only when `LISTEN_PID` is this process. With one descriptor it is used whatever its
/// name; with several, only those named `varlink` in `LISTEN_FDNAMES` (sd-varlink's rule).
package struct ActivatedSockets: Sendable, Equatable {
    package var listening: [Int32]
    package var connected: [Int32]

    package var isEmpty: Bool { listening.isEmpty && connected.isEmpty }

    /// Errors in the activation environment, named after the variable at fault.
    package struct ActivationError: Error, CustomStringConvertible {
        package var description: String
    }

    /// Reads and then clears the `LISTEN_*` variables, so children do not inherit them.
    package static func fromEnvironment() throws(ActivationError) -> ActivatedSockets {
        defer {
            for name in ["LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES", "LISTEN_PIDFDID"] { unsetenv(name) }
        }
        guard let pidText = variable("LISTEN_PID"), let countText = variable("LISTEN_FDS") else {
            return ActivatedSockets(listening: [], connected: [])
        }
        guard let pid = Int32(pidText) else {
            throw ActivationError(description: "LISTEN_PID=\(pidText) is not a number")
        }
        guard pid == Posix.processID else { return ActivatedSockets(listening: [], connected: []) }
        guard let count = Int32(countText), count >= 0, count < 4096 else {
            throw ActivationError(description: "LISTEN_FDS=\(countText) is not a descriptor count")
        }
        let names = variable("LISTEN_FDNAMES").map {
            $0.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        }
        var sockets = ActivatedSockets(listening: [], connected: [])
        for index in 0..<count {
            let fd = 3 + index
            if count > 1 {
                guard let names, names.count == Int(count) else {
                    throw ActivationError(description: "LISTEN_FDNAMES must name each of the \(count) descriptors")
                }
                guard names[Int(index)] == "varlink" else { continue }
            }
            do {
                if try Posix.isListeningSocket(fd) {
                    sockets.listening.append(fd)
                } else {
                    sockets.connected.append(fd)
                }
            } catch {
                throw ActivationError(description: "descriptor \(fd) from LISTEN_FDS is not a socket: \(error)")
            }
        }
        return sockets
    }

    private static func variable(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        return String(cString: value)
    }
}
