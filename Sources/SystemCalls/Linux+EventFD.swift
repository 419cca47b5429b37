internal import CLinuxShims

#if canImport(Glibc)
import Glibc
#endif

extension Linux {
    /// Creates a non-blocking, close-on-exec eventfd used to wake an epoll loop.
    /// The corresponding C function is `eventfd`.
    public static func eventFD() throws(SystemCallError) -> Int32 {
        try Syscall.retrying("eventfd") { eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC)) }
    }

    /// Adds one to the counter (wakes the reader). Overflow (EAGAIN) means a wake-up is already pending.
    /// The corresponding C function is `eventfd_write`.
    public static func eventFDSignal(_ fd: Int32) {
        _ = eventfd_write(fd, 1)
    }

    /// Resets the counter. The corresponding C function is `eventfd_read`.
    public static func eventFDDrain(_ fd: Int32) {
        var value: eventfd_t = 0
        _ = eventfd_read(fd, &value)
    }
}
