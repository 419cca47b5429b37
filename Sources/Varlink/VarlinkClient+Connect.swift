import SystemCalls

#if canImport(Glibc)
import Glibc
#endif

extension VarlinkClient {
    /// Connects to `unix:PATH`, `unix:@NAME`, or starts `exec:PROGRAM [ARGS…]` on a socket pair with the
    /// socket as its fd 3 (`LISTEN_FDS=1`, `LISTEN_PID`, `LISTEN_FDNAMES=varlink`, as varlinkctl does).
    ///
    /// Calls never block a thread of Swift's cooperative pool: a task that has to wait for the socket
    /// is resumed by the clients' I/O loop (one epoll thread per process).
    public static func connect(
        to address: VarlinkAddress,
        timeout: Duration? = .seconds(45),
        maximumMessageSize: Int = 16 << 20
    ) async throws(VarlinkConnectionError) -> VarlinkClient {
        switch address {
        case .unixPath(let path, _):
            return try connectSocket(
                name: path,
                abstract: false,
                address: address,
                timeout: timeout,
                limit: maximumMessageSize
            )
        case .abstract(let name):
            return try connectSocket(
                name: name,
                abstract: true,
                address: address,
                timeout: timeout,
                limit: maximumMessageSize
            )
        case .exec(let program, let arguments):
            let pair: (Int32, Int32)
            do { pair = try Posix.unixStreamSocketPair(nonBlocking: false) } catch {
                throw .connectFailed(address: address.description, error)
            }
            let child: Int32
            do {
                child = try Posix.spawnSocketActivated(
                    path: program,
                    arguments: arguments,
                    environment: Posix.currentEnvironment(),
                    socket: pair.1,
                    descriptorName: "varlink"
                )
            } catch {
                Posix.close(pair.0)
                Posix.close(pair.1)
                throw .connectFailed(address: address.description, error)
            }
            Posix.close(pair.1)
            do { try Posix.setNonBlocking(pair.0, true) } catch { throw .io(error) }
            return VarlinkClient(
                fd: pair.0,
                timeout: timeout,
                child: child,
                maximumMessageSize: maximumMessageSize
            )
        }
    }

    /// `connect(to:)` with an address string.
    public static func connect(
        to address: String,
        timeout: Duration? = .seconds(45)
    ) async throws(VarlinkConnectionError) -> VarlinkClient {
        let parsed: VarlinkAddress
        do { parsed = try VarlinkAddress(parsing: address) } catch { throw .invalidAddress(error) }
        return try await connect(to: parsed, timeout: timeout)
    }

    private static func connectSocket(
        name: String,
        abstract: Bool,
        address: VarlinkAddress,
        timeout: Duration?,
        limit: Int
    ) throws(VarlinkConnectionError) -> VarlinkClient {
        let fd: Int32
        do { fd = try Posix.unixStreamSocket(nonBlocking: false) } catch {
            throw .connectFailed(address: address.description, error)
        }
        do {
            // Blocking connect: AF_UNIX connects finish at once or fail (EAGAIN when the backlog is full).
            try Posix.connectUnix(fd, name: name, abstract: abstract)
            try Posix.setNonBlocking(fd, true)
        } catch {
            Posix.close(fd)
            throw .connectFailed(address: address.description, error)
        }
        return VarlinkClient(fd: fd, timeout: timeout, child: nil, maximumMessageSize: limit)
    }

    /// Waits for an `exec:` child off the caller's thread: a short grace period after the socket
    /// closed, then SIGTERM.
    static func reap(_ pid: Int32) {
        try? Posix.startThread {
            for _ in 0..<50 {
                if (try? Posix.wait(for: pid, block: false)) != nil { return }
                usleep(2000)
            }
            try? Posix.sendSignal(SIGTERM, to: pid)
            _ = try? Posix.wait(for: pid, block: true)
        }
    }
}
