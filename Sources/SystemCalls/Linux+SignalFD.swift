internal import CLinuxShims

extension Linux {
    /// Blocks `signals` for the calling thread (and threads it creates later) and returns a non-blocking
    /// signalfd that becomes readable when one arrives. Call it before starting other threads.
    /// The corresponding C functions are `pthread_sigmask` and `signalfd`.
    public static func signalFD(for signals: [Int32]) throws(SystemCallError) -> Int32 {
        try Syscall.retrying("signalfd") {
            signals.withUnsafeBufferPointer { berth_signalfd($0.baseAddress, $0.count) }
        }
    }

    /// Reads one pending signal number from a signalfd, or `nil` when none is pending.
    /// The corresponding C function is `read`.
    public static func readSignal(_ fd: Int32) -> Int32? {
        let signal = berth_signalfd_read(fd)
        return signal == 0 ? nil : signal
    }
}
