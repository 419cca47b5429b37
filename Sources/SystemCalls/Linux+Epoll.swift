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
    /// Hang-up or error: the descriptor should be closed after draining what can still be read.
    public var hangUp: Bool
}

extension Linux {
    /// Interest flags for `epoll_ctl`.
    public struct EpollInterest: OptionSet, Sendable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }
        public static let readable = EpollInterest(rawValue: EPOLLIN.rawValue)
        public static let writable = EpollInterest(rawValue: EPOLLOUT.rawValue)
        public static let readHangUp = EpollInterest(rawValue: EPOLLRDHUP.rawValue)
    }

    /// Creates a close-on-exec epoll instance. The corresponding C function is `epoll_create1`.
    public static func epollCreate() throws(SystemCallError) -> Int32 {
        try Syscall.retrying("epoll_create1") { epoll_create1(Int32(EPOLL_CLOEXEC)) }
    }

    /// Adds a descriptor (level-triggered). The corresponding C function is `epoll_ctl(EPOLL_CTL_ADD)`.
    public static func epollAdd(_ epoll: Int32, _ fd: Int32, interest: EpollInterest, token: UInt64) throws(SystemCallError) {
        var event = epoll_event(events: interest.rawValue, data: epoll_data_t(u64: token))
        _ = try Syscall.retrying("epoll_ctl", detail: "ADD") { epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &event) }
    }

    /// Changes a descriptor's interest. The corresponding C function is `epoll_ctl(EPOLL_CTL_MOD)`.
    public static func epollModify(_ epoll: Int32, _ fd: Int32, interest: EpollInterest, token: UInt64) throws(SystemCallError) {
        var event = epoll_event(events: interest.rawValue, data: epoll_data_t(u64: token))
        _ = try Syscall.retrying("epoll_ctl", detail: "MOD") { epoll_ctl(epoll, EPOLL_CTL_MOD, fd, &event) }
    }

    /// Removes a descriptor; a descriptor that is not registered is ignored.
    /// The corresponding C function is `epoll_ctl(EPOLL_CTL_DEL)`.
    public static func epollRemove(_ epoll: Int32, _ fd: Int32) {
        var event = epoll_event()
        _ = epoll_ctl(epoll, EPOLL_CTL_DEL, fd, &event)
    }

    /// Waits for events; `timeoutMilliseconds` -1 waits forever. `EINTR` returns no events.
    /// The corresponding C function is `epoll_wait`.
    public static func epollWait(
        _ epoll: Int32,
        into buffer: inout [EpollEvent],
        scratch: UnsafeMutableRawBufferPointer,
        timeoutMilliseconds: Int32
    ) throws(SystemCallError) {
        buffer.removeAll(keepingCapacity: true)
        let events = scratch.bindMemory(to: epoll_event.self)
        let count = epoll_wait(epoll, events.baseAddress, Int32(events.count), timeoutMilliseconds)
        if count < 0 {
            let code = Glibc.errno
            if code == EINTR { return }
            throw SystemCallError(call: "epoll_wait", errno: code)
        }
        for index in 0..<Int(count) {
            let flags = events[index].events
            buffer.append(
                EpollEvent(
                    token: events[index].data.u64,
                    readable: flags & EPOLLIN.rawValue != 0,
                    writable: flags & EPOLLOUT.rawValue != 0,
                    hangUp: flags & (EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0
                )
            )
        }
    }

    /// Bytes needed for a scratch buffer holding `count` raw epoll events.
    public static func epollScratchSize(events count: Int) -> Int { MemoryLayout<epoll_event>.stride * count }

    /// Alignment for the scratch buffer.
    public static var epollScratchAlignment: Int { MemoryLayout<epoll_event>.alignment }
}
