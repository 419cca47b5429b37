import Glibc

/// Unix-socket plumbing for socket-activation tests: what systemd does with a `.socket` unit.
///
/// Plain Glibc on purpose: the tests drive the daemon the way PID 1 does, independent of the
/// project's own socket code (which is what they test).
package enum ActivationSocket {
    /// A listening `AF_UNIX` stream socket bound at `path`, moved to an fd ≥ 100 so that it never
    /// sits where a child expects its passed fds (3, 4, ...). Close-on-exec is set.
    package static func listen(path: String, backlog: Int32 = 128) throws(SystemCallErrorBox) -> Int32 {
        let raw = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard raw >= 0 else { throw .last("socket") }
        var address = try makeAddress(path)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(raw, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard bound == 0, Glibc.listen(raw, backlog) == 0 else {
            let error = SystemCallErrorBox.last("bind/listen \(path)")
            close(raw)
            throw error
        }
        let high = fcntl(raw, F_DUPFD_CLOEXEC, 100)
        close(raw)
        guard high >= 0 else { throw .last("fcntl(F_DUPFD_CLOEXEC)") }
        return high
    }

    /// A connected client socket (blocking, close-on-exec) with send/receive timeouts.
    package static func connect(path: String, timeoutSeconds: Int = 10) throws(SystemCallErrorBox) -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .last("socket") }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = try makeAddress(path)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard result == 0 else {
            let error = SystemCallErrorBox.last("connect \(path)")
            close(fd)
            throw error
        }
        return fd
    }

    /// Whether a connection is waiting in `fd`'s backlog, within `milliseconds`.
    package static func isReadable(_ fd: Int32, milliseconds: Int32) -> Bool {
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&entry, 1, milliseconds) > 0 && entry.revents & Int16(POLLIN) != 0
    }

    static func makeAddress(_ path: String) throws(SystemCallErrorBox) -> sockaddr_un {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            throw SystemCallErrorBox(call: "socket path too long: \(path)", errno: ENAMETOOLONG)
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        return address
    }
}

/// A failed Glibc call in test plumbing (kept apart from SystemCallError so test helpers don't
/// depend on the module under test).
package struct SystemCallErrorBox: Error, CustomStringConvertible {
    package var call: String
    package var errno: Int32

    package init(call: String, errno: Int32) {
        self.call = call
        self.errno = errno
    }

    static func last(_ call: String) -> SystemCallErrorBox {
        SystemCallErrorBox(call: call, errno: Glibc.errno)
    }

    package var description: String { "\(call): \(String(cString: strerror(errno)))" }
}
