internal import CLinuxShims

extension Linux {
    /// Creates a non-blocking, close-on-exec eventfd used to wake an epoll loop.
    /// The corresponding C function is `eventfd`.
    public static func eventFD() throws(SystemCallError) -> Int32 {
        try Syscall.retrying("eventfd") { berth_eventfd() }
    }

    /// Adds one to the counter (wakes the reader); a full counter already means a wake-up is pending.
    /// The corresponding C function is `write`.
    public static func eventFDSignal(_ fd: Int32) {
        _ = berth_eventfd_signal(fd)
    }

    /// Resets the counter. The corresponding C function is `read`.
    public static func eventFDDrain(_ fd: Int32) {
        _ = berth_eventfd_drain(fd)
    }
}
