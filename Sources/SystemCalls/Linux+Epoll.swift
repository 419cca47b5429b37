internal import CLinuxShims

#if canImport(Glibc)
import Glibc
#endif

/// Wrappers for Linux-only calls.
public enum Linux {}

/// One readiness event from `epoll_wait`.
public struct EpollEvent: Sendable {
    /// The caller's token registered with the descriptor.
    public var token: UInt64
    public var readable: Bool
    public var writable: Bool
    /// Hang-up or error: nothing more can be exchanged.
    public var hangUp: Bool
}

extension Linux {
    /// Interest flags for `epoll_ctl`.
    public struct EpollInterest: OptionSet, Sendable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }
        public static let readable = EpollInterest(rawValue: 0x001)
        public static let writable = EpollInterest(rawValue: 0x004)
        public static let readHangUp = EpollInterest(rawValue: 0x2000)
    }

    /// Creates a close-on-exec epoll instance. The corresponding C function is `epoll_create1`.
    public static func epollCreate() throws(SystemCallError) -> Int32 {
        try Syscall.retrying("epoll_create1") { berth_epoll_create() }
    }

    /// Adds a descriptor (level-triggered). The corresponding C function is `epoll_ctl(EPOLL_CTL_ADD)`.
    public static func epollAdd(
        _ epoll: Int32,
        _ fd: Int32,
        interest: EpollInterest,
        token: UInt64
    ) throws(SystemCallError) {
        _ = try Syscall.retrying("epoll_ctl", detail: "ADD") {
            berth_epoll_control(epoll, 0, fd, interest.rawValue, token)
        }
    }

    /// Changes a descriptor's interest. The corresponding C function is `epoll_ctl(EPOLL_CTL_MOD)`.
    public static func epollModify(
        _ epoll: Int32,
        _ fd: Int32,
        interest: EpollInterest,
        token: UInt64
    ) throws(SystemCallError) {
        _ = try Syscall.retrying("epoll_ctl", detail: "MOD") {
            berth_epoll_control(epoll, 1, fd, interest.rawValue, token)
        }
    }

    /// Removes a descriptor; one that is not registered is ignored.
    /// The corresponding C function is `epoll_ctl(EPOLL_CTL_DEL)`.
    public static func epollRemove(_ epoll: Int32, _ fd: Int32) {
        _ = berth_epoll_control(epoll, 2, fd, 0, 0)
    }

    /// Reusable storage for `epollWait`.
    public struct EpollBuffer: ~Copyable {
        fileprivate let raw: UnsafeMutablePointer<berth_epoll_event>
        fileprivate let capacity: Int

        public init(capacity: Int = 256) {
            self.capacity = min(capacity, 256)
            raw = .allocate(capacity: self.capacity)
        }

        deinit { raw.deallocate() }
    }

    /// Waits for events; `timeoutMilliseconds` -1 waits forever. `EINTR` returns no events.
    /// The corresponding C function is `epoll_wait`.
    public static func epollWait(
        _ epoll: Int32,
        into events: inout [EpollEvent],
        buffer: borrowing EpollBuffer,
        timeoutMilliseconds: Int32
    ) throws(SystemCallError) {
        events.removeAll(keepingCapacity: true)
        let count = berth_epoll_wait(epoll, buffer.raw, Int32(buffer.capacity), timeoutMilliseconds)
        if count < 0 {
            let code = Glibc.errno
            if code == EINTR { return }
            throw SystemCallError(call: "epoll_wait", errno: code)
        }
        for index in 0..<Int(count) {
            let flags = buffer.raw[index].events
            events.append(
                EpollEvent(
                    token: buffer.raw[index].token,
                    readable: flags & BERTH_EPOLLIN != 0,
                    writable: flags & BERTH_EPOLLOUT != 0,
                    hangUp: flags & (BERTH_EPOLLHUP | BERTH_EPOLLERR) != 0
                )
            )
        }
    }
}
