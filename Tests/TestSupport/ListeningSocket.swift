import Foundation
import SystemCalls

/// Waiting for a server's unix socket: its file appears at bind(2), before listen(2), and a connect in
/// between is refused; so a harness waits for a connect that succeeds, not for the file.
package enum ListeningSocket {
    /// True once a connect to `path` succeeds; false when `isRunning` (the server process) turns false first
    /// or `timeout` seconds pass.
    package static func waitUntilAccepting(_ path: String, while isRunning: () -> Bool, timeout: Double = 10) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline, isRunning() {
            if isAccepting(path) { return true }
            usleep(5_000)
        }
        return isAccepting(path)
    }

    /// Whether a connect to `path` succeeds now (the probe connection is closed at once).
    package static func isAccepting(_ path: String) -> Bool {
        guard let fd = try? Posix.unixStreamSocket(nonBlocking: false) else { return false }
        defer { Posix.close(fd) }
        return (try? Posix.connectUnix(fd, name: path, abstract: false)) != nil
    }
}
