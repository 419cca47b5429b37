internal import CLinuxShims

#if canImport(Glibc)
import Glibc
#endif

extension Posix {
    /// What to wait for on one descriptor.
    public enum PollDirection: Sendable {
        case readable
        case writable
    }

    /// Waits until one descriptor is ready; returns `false` on timeout. Hang-up and errors count as ready,
    /// so the following read or write reports them. `timeoutMilliseconds` -1 waits forever.
    /// The corresponding C function is `poll`.
    public static func poll(
        _ fd: Int32,
        for direction: PollDirection,
        timeoutMilliseconds: Int32
    ) throws(SystemCallError) -> Bool {
        var entry = pollfd(fd: fd, events: Int16(direction == .readable ? POLLIN : POLLOUT), revents: 0)
        while true {
            let result = Glibc.poll(&entry, 1, timeoutMilliseconds)
            if result > 0 { return true }
            if result == 0 { return false }
            let code = Glibc.errno
            if code == EINTR { continue }
            throw SystemCallError(call: "poll", errno: code)
        }
    }

    /// Monotonic time in nanoseconds. The corresponding C function is `clock_gettime(CLOCK_MONOTONIC)`.
    public static func monotonicNanoseconds() -> UInt64 {
        var now = timespec()
        _ = clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }

    /// The soft RLIMIT_NOFILE. The corresponding C function is `getrlimit`.
    public static func openFileLimit() -> UInt64 {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        return UInt64(limit.rlim_cur)
    }

    /// Raises the soft RLIMIT_NOFILE to the hard one and returns the new soft limit. systemd starts
    /// services with a soft limit of 1024 for select(); a program that polls with epoll raises it
    /// itself. The corresponding C functions are `getrlimit` and `setrlimit`.
    @discardableResult
    public static func raiseOpenFileLimit() -> UInt64 {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        guard limit.rlim_cur < limit.rlim_max else { return UInt64(limit.rlim_cur) }
        var raised = limit
        raised.rlim_cur = limit.rlim_max
        guard setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 else { return UInt64(limit.rlim_cur) }
        return UInt64(raised.rlim_cur)
    }
}

extension Posix {
    /// One descriptor of a multi-descriptor `poll`: what to wait for (`POLLIN`/`POLLOUT` bits as
    /// sd-bus's `sd_bus_get_events` reports them) and, afterwards, what happened.
    public struct PollEntry: Sendable {
        public var fd: Int32
        public var events: Int16
        public var returnedEvents: Int16 = 0

        public init(fd: Int32, events: Int16) {
            self.fd = fd
            self.events = events
        }
    }

    /// Waits until one of several descriptors is ready or the timeout (-1 = forever) passes; fills in
    /// each entry's `returnedEvents`. The corresponding C function is `poll`.
    public static func poll(_ entries: inout [PollEntry], timeoutMilliseconds: Int32) throws(SystemCallError) {
        var descriptors = entries.map { pollfd(fd: $0.fd, events: $0.events, revents: 0) }
        while true {
            let result = Glibc.poll(&descriptors, nfds_t(descriptors.count), timeoutMilliseconds)
            if result >= 0 { break }
            let code = Glibc.errno
            if code == EINTR { continue }
            throw SystemCallError(call: "poll", errno: code)
        }
        for index in entries.indices { entries[index].returnedEvents = descriptors[index].revents }
    }
}
