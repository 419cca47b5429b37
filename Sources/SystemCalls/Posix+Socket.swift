internal import CLinuxShims

#if canImport(Glibc)
import Glibc
#endif

/// Wrappers for POSIX calls; each C function is called from exactly one place in this module.
public enum Posix {}

/// Credentials of the process on the other end of an AF_UNIX socket (SO_PEERCRED).
public struct PeerCredentials: Sendable, Hashable {
    public var uid: UInt32
    public var gid: UInt32
    public var pid: Int32

    public init(uid: UInt32, gid: UInt32, pid: Int32) {
        self.uid = uid
        self.gid = gid
        self.pid = pid
    }
}

/// The result of a non-blocking read or write.
public enum IOResult<Value: Sendable>: Sendable {
    case done(Value)
    case wouldBlock
}

/// What `recvmsg` produced: byte count (0 = end of stream) and any descriptors that came with it.
public struct ReceivedChunk: Sendable {
    public var byteCount: Int
    public var fileDescriptors: [Int32]
    /// The kernel dropped control data (too many descriptors): the stream can no longer be trusted.
    public var controlTruncated: Bool
}

extension Posix {
    /// Largest number of descriptors one `sendmsg` can carry (the kernel's SCM_MAX_FD).
    public static let maximumDescriptorsPerMessage = 253

    /// Creates a close-on-exec AF_UNIX stream socket. The corresponding C function is `socket`.
    public static func unixStreamSocket(nonBlocking: Bool) throws(SystemCallError) -> Int32 {
        try Syscall.retrying("socket") { berth_unix_stream_socket(nonBlocking ? 1 : 0) }
    }

    /// A connected pair of close-on-exec AF_UNIX stream sockets. The corresponding C function is `socketpair`.
    public static func unixStreamSocketPair(nonBlocking: Bool) throws(SystemCallError) -> (Int32, Int32) {
        var fds: [Int32] = [-1, -1]
        _ = try Syscall.retrying("socketpair") { berth_unix_stream_socketpair(nonBlocking ? 1 : 0, &fds) }
        return (fds[0], fds[1])
    }

    /// Binds to a socket path or (with `abstract`) a Linux abstract name. The corresponding C function is `bind`.
    public static func bindUnix(_ fd: Int32, name: String, abstract: Bool) throws(SystemCallError) {
        var name = name
        _ = try Syscall.retrying("bind", detail: abstract ? "@" + name : name) {
            name.withUTF8 { berth_bind_unix(fd, $0.baseAddress, $0.count, abstract ? 1 : 0) }
        }
    }

    /// Connects to a socket path or abstract name. `EINPROGRESS`/`EAGAIN` on a non-blocking socket throw too;
    /// AF_UNIX connects complete immediately or fail. The corresponding C function is `connect`.
    public static func connectUnix(_ fd: Int32, name: String, abstract: Bool) throws(SystemCallError) {
        var name = name
        _ = try Syscall.retrying("connect", detail: abstract ? "@" + name : name) {
            name.withUTF8 { berth_connect_unix(fd, $0.baseAddress, $0.count, abstract ? 1 : 0) }
        }
    }

    /// The longest socket path the kernel accepts.
    public static var unixPathMaximum: Int { Int(berth_unix_path_max()) }

    /// Marks a socket as listening. The corresponding C function is `listen`.
    public static func listen(_ fd: Int32, backlog: Int32) throws(SystemCallError) {
        _ = try Syscall.retrying("listen") { Glibc.listen(fd, backlog) }
    }

    /// Accepts one connection as a non-blocking, close-on-exec socket; `.wouldBlock` when none is pending.
    /// The corresponding C function is `accept4`.
    public static func accept(_ fd: Int32) throws(SystemCallError) -> IOResult<Int32> {
        while true {
            let result = berth_accept(fd)
            if result >= 0 { return .done(result) }
            let code = Glibc.errno
            switch code {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            // The peer gave up before we accepted: not our failure, try the next one.
            case ECONNABORTED, EPROTO: continue
            default: throw SystemCallError(call: "accept4", errno: code)
            }
        }
    }

    /// SO_PEERCRED of a connected AF_UNIX socket. The corresponding C function is `getsockopt`.
    public static func peerCredentials(_ fd: Int32) throws(SystemCallError) -> PeerCredentials {
        var uid: UInt32 = 0
        var gid: UInt32 = 0
        var pid: Int32 = 0
        _ = try Syscall.retrying("getsockopt", detail: "SO_PEERCRED") { berth_peer_credentials(fd, &uid, &gid, &pid) }
        return PeerCredentials(uid: uid, gid: gid, pid: pid)
    }

    /// Whether `fd` is a listening socket (SO_ACCEPTCONN). The corresponding C function is `getsockopt`.
    public static func isListeningSocket(_ fd: Int32) throws(SystemCallError) -> Bool {
        var value: Int32 = 0
        var size = socklen_t(MemoryLayout<Int32>.size)
        _ = try Syscall.retrying("getsockopt", detail: "SO_ACCEPTCONN") {
            getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &value, &size)
        }
        return value != 0
    }

    /// Sets an integer socket option. The corresponding C function is `setsockopt`.
    public static func setSocketOption(_ fd: Int32, level: Int32, option: Int32, value: Int32) throws(SystemCallError) {
        var value = value
        _ = try Syscall.retrying("setsockopt") {
            setsockopt(fd, level, option, &value, socklen_t(MemoryLayout<Int32>.size))
        }
    }

    /// Sends bytes with optional SCM_RIGHTS descriptors, never raising SIGPIPE. The corresponding C function is `sendmsg`.
    public static func send(
        _ fd: Int32,
        _ bytes: UnsafeRawBufferPointer,
        fileDescriptors: [Int32] = []
    ) throws(SystemCallError) -> IOResult<Int> {
        try nonBlocking("sendmsg") {
            fileDescriptors.withUnsafeBufferPointer { fds in
                berth_send_with_fds(fd, bytes.baseAddress, bytes.count, fds.baseAddress, fds.count)
            }
        }
    }

    /// Receives bytes and any descriptors (made close-on-exec). The corresponding C function is `recvmsg`.
    public static func receive(
        _ fd: Int32,
        into buffer: UnsafeMutableRawBufferPointer,
        peek: Bool = false
    ) throws(SystemCallError) -> IOResult<ReceivedChunk> {
        var fds = [Int32](repeating: -1, count: 16)
        var fdCount = 0
        var truncated: Int32 = 0
        let received = try nonBlocking("recvmsg") {
            fds.withUnsafeMutableBufferPointer { fdBuffer in
                berth_receive_with_fds(
                    fd,
                    buffer.baseAddress,
                    buffer.count,
                    fdBuffer.baseAddress,
                    fdBuffer.count,
                    &fdCount,
                    &truncated,
                    peek ? 1 : 0
                )
            }
        }
        guard case .done(let byteCount) = received else { return .wouldBlock }
        return .done(
            ReceivedChunk(
                byteCount: byteCount,
                fileDescriptors: Array(fds[0..<fdCount]),
                controlTruncated: truncated != 0
            )
        )
    }

    /// Plain non-blocking-aware read. The corresponding C function is `read`.
    public static func read(
        _ fd: Int32,
        into buffer: UnsafeMutableRawBufferPointer
    ) throws(SystemCallError) -> IOResult<Int> {
        try nonBlocking("read") { Glibc.read(fd, buffer.baseAddress, buffer.count) }
    }

    /// Plain write. The corresponding C function is `write`.
    public static func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) throws(SystemCallError) -> IOResult<Int> {
        try nonBlocking("write") { Glibc.write(fd, bytes.baseAddress, bytes.count) }
    }

    /// Runs `body` until it is not interrupted: its non-negative result, `.wouldBlock` when a non-blocking
    /// descriptor has no data or room (`EAGAIN`), else the error.
    private static func nonBlocking(_ call: String, _ body: () -> Int) throws(SystemCallError) -> IOResult<Int> {
        while true {
            let result = body()
            if result >= 0 { return .done(result) }
            let code = Glibc.errno
            if code == EINTR { continue }
            if code == EAGAIN || code == EWOULDBLOCK { return .wouldBlock }
            throw SystemCallError(call: call, errno: code)
        }
    }

    /// Shuts down both directions of a socket (wakes blocked readers). The corresponding C function is `shutdown`.
    public static func shutdownSocket(_ fd: Int32) {
        _ = Glibc.shutdown(fd, 2)  // SHUT_RDWR
    }

    /// Closes a descriptor; errors are ignored because Linux always releases the descriptor.
    /// The corresponding C function is `close`.
    public static func close(_ fd: Int32) {
        _ = Glibc.close(fd)
    }

    /// Duplicates a descriptor as close-on-exec. The corresponding C function is `fcntl(F_DUPFD_CLOEXEC)`.
    public static func duplicate(_ fd: Int32) throws(SystemCallError) -> Int32 {
        try Syscall.retrying("fcntl", detail: "F_DUPFD_CLOEXEC") { fcntl(fd, F_DUPFD_CLOEXEC, 3) }
    }

    /// Switches O_NONBLOCK on or off. The corresponding C function is `fcntl`.
    public static func setNonBlocking(_ fd: Int32, _ enabled: Bool) throws(SystemCallError) {
        let flags = try Syscall.retrying("fcntl", detail: "F_GETFL") { fcntl(fd, F_GETFL) }
        let updated = enabled ? flags | O_NONBLOCK : flags & ~O_NONBLOCK
        if updated != flags { _ = try Syscall.retrying("fcntl", detail: "F_SETFL") { fcntl(fd, F_SETFL, updated) } }
    }

    /// Sets close-on-exec. The corresponding C function is `fcntl`.
    public static func setCloseOnExec(_ fd: Int32) throws(SystemCallError) {
        let flags = try Syscall.retrying("fcntl", detail: "F_GETFD") { fcntl(fd, F_GETFD) }
        _ = try Syscall.retrying("fcntl", detail: "F_SETFD") { fcntl(fd, F_SETFD, flags | FD_CLOEXEC) }
    }

    /// Removes a stale socket file before binding; a missing file is fine, anything that is not a socket
    /// is left alone (EEXIST), so a typo can never delete a regular file. The corresponding C function is `unlink`.
    public static func removeStaleSocket(at path: String) throws(SystemCallError) {
        var status = stat()
        if lstat(path, &status) != 0 {
            if Glibc.errno == ENOENT { return }
            throw SystemCallError(call: "lstat", errno: Glibc.errno, detail: path)
        }
        guard (status.st_mode & S_IFMT) == S_IFSOCK else {
            throw SystemCallError(call: "bind", errno: EEXIST, detail: path)
        }
        _ = try Syscall.retrying("unlink", detail: path) { unlink(path) }
    }

    /// Sets a socket file's permission bits. The corresponding C function is `chmod`.
    public static func setSocketMode(at path: String, mode: UInt32) throws(SystemCallError) {
        _ = try Syscall.retrying("chmod", detail: path) { chmod(path, mode_t(mode)) }
    }
}
