internal import CSystemd

#if canImport(Glibc)
import Glibc
#endif

/// The sockets systemd passed to this process (socket activation, `sd_listen_fds(3)`).
///
/// Adopt them once, at startup: libsystemd sets `FD_CLOEXEC` on each fd and (by default)
/// removes `LISTEN_FDS`, `LISTEN_PID` and `LISTEN_FDNAMES`, so children never see them.
package struct ListenFDs: Sendable, Equatable {
    /// One passed fd, with its `FileDescriptorName=` (systemd's default is the socket unit's name).
    package struct Socket: Sendable, Equatable {
        /// The descriptor number (3, 4, ...).
        package var fd: Int32
        /// The name from `LISTEN_FDNAMES`, or `"unknown"` when none was given.
        package var name: String
        /// True when the fd is an `AF_UNIX` `SOCK_STREAM` socket in listening state, which is
        /// the only kind a Varlink server can serve.
        package var isListeningUnixStream: Bool
        /// True for a connected `AF_UNIX` `SOCK_STREAM` socket: one client's connection, as
        /// `varlinkctl call exec:PATH` passes it (a socketpair), served like an accepted one.
        package var isConnectedUnixStream: Bool

        package init(fd: Int32, name: String, isListeningUnixStream: Bool, isConnectedUnixStream: Bool = false) {
            self.fd = fd
            self.name = name
            self.isListeningUnixStream = isListeningUnixStream
            self.isConnectedUnixStream = isConnectedUnixStream
        }
    }

    /// The first fd systemd passes (`SD_LISTEN_FDS_START`).
    package static let firstDescriptor: Int32 = 3

    /// The passed sockets in fd order.
    package var sockets: [Socket]

    package init(sockets: [Socket]) {
        self.sockets = sockets
    }

    /// The sockets whose `FileDescriptorName=` is `name`.
    package func named(_ name: String) -> [Socket] {
        sockets.filter { $0.name == name }
    }

    /// Reads and validates the socket-activation variables.
    ///
    /// - Returns: no sockets when `LISTEN_FDS` is unset (not socket-activated).
    /// - Throws: `.listenPIDMismatch` when the fds were meant for another PID (a parent that forgot
    ///   to unset them), `.invalidEnvironment` when a variable does not parse.
    package static func adopt(unsetEnvironment: Bool = true) throws(SystemdError) -> ListenFDs {
        guard let count = getenv("LISTEN_FDS").map({ String(cString: $0) }) else { return ListenFDs(sockets: []) }
        let ownPID = getpid()
        // libsystemd silently returns 0 on a PID mismatch; say why instead, since berthd would
        // otherwise just report "no sockets".
        if let pid = getenv("LISTEN_PID").map({ String(cString: $0) }) {
            guard let parsed = Int32(pid), parsed > 0 else {
                throw .invalidEnvironment(variable: "LISTEN_PID", value: pid, reason: "not a PID")
            }
            if parsed != ownPID { throw .listenPIDMismatch(listenPID: pid, ownPID: ownPID) }
        }
        guard let expected = Int(count), expected >= 0 else {
            throw .invalidEnvironment(variable: "LISTEN_FDS", value: count, reason: "not a count")
        }
        try SystemdLibrary.load()
        var names: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = nil
        let result = sd_listen_fds_with_names(unsetEnvironment ? 1 : 0, &names)
        defer { freeNames(names) }
        if result < 0 {
            throw .invalidEnvironment(
                variable: "LISTEN_FDS",
                value: count,
                reason: String(cString: strerror(-result))
            )
        }
        var sockets: [Socket] = []
        sockets.reserveCapacity(Int(result))
        for index in 0..<Int(result) {
            let fd = firstDescriptor + Int32(index)
            let name = names?[index].map { String(cString: $0) } ?? "unknown"
            let listening = sd_is_socket_unix(fd, SOCK_STREAM_VALUE, 1, nil, 0) > 0
            let connected = !listening && sd_is_socket_unix(fd, SOCK_STREAM_VALUE, 0, nil, 0) > 0
            sockets.append(
                Socket(fd: fd, name: name, isListeningUnixStream: listening, isConnectedUnixStream: connected)
            )
        }
        return ListenFDs(sockets: sockets)
    }

    private static func freeNames(_ names: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) {
        guard let names else { return }
        var index = 0
        while let entry = names[index] {
            free(entry)
            index += 1
        }
        free(names)
    }
}

/// `SOCK_STREAM` as a plain `Int32` (Glibc imports it as an enum-like struct on some platforms).
private let SOCK_STREAM_VALUE = Int32(SOCK_STREAM.rawValue)
