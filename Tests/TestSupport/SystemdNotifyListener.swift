import Glibc

/// A datagram socket standing in for systemd's notification socket (`NOTIFY_SOCKET`).
///
/// It is what PID 1 itself does: bind an `AF_UNIX` `SOCK_DGRAM` socket and read the
/// `KEY=VALUE` datagrams a `Type=notify` service sends.
package final class SystemdNotifyListener {
    /// The socket's path: pass it as `NOTIFY_SOCKET=` to the service.
    package let path: String
    private let fd: Int32

    package init(path: String) throws(SystemCallErrorBox) {
        self.path = path
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SystemCallErrorBox(call: "socket", errno: errno) }
        var address = try ActivationSocket.makeAddress(path)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard bound == 0 else {
            let code = errno
            close(fd)
            throw SystemCallErrorBox(call: "bind \(path)", errno: code)
        }
        self.fd = fd
    }

    deinit {
        close(fd)
        unlink(path)
    }

    /// The next datagram, or nil when none arrives within `milliseconds`.
    package func receive(milliseconds: Int32 = 10_000) -> String? {
        guard ActivationSocket.isReadable(fd, milliseconds: milliseconds) else { return nil }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
        guard count >= 0 else { return nil }
        return String(decoding: buffer[0..<count], as: UTF8.self)
    }

    /// Reads datagrams until one contains `field` (e.g. `READY=1`); returns every datagram read.
    package func receive(until field: String, milliseconds: Int32 = 10_000) -> [String] {
        var seen: [String] = []
        while let message = receive(milliseconds: milliseconds) {
            seen.append(message)
            if message.split(separator: "\n").contains(Substring(field)) { break }
        }
        return seen
    }
}
