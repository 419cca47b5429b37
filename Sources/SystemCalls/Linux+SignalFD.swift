internal import CLinuxShims

#if canImport(Glibc)
import Glibc
#endif

extension Linux {
    /// Blocks `signals` for the calling thread (and threads it creates later) and returns a non-blocking
    /// signalfd that becomes readable when one arrives. Call it before starting other threads.
    /// The corresponding C functions are `pthread_sigmask` and `signalfd`.
    public static func signalFD(for signals: [Int32]) throws(SystemCallError) -> Int32 {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in signals { sigaddset(&set, signal) }
        let blocked = pthread_sigmask(SIG_BLOCK, &set, nil)
        if blocked != 0 { throw SystemCallError(call: "pthread_sigmask", errno: blocked) }
        return try Syscall.retrying("signalfd") { signalfd(-1, &set, Int32(SFD_NONBLOCK | SFD_CLOEXEC)) }
    }

    /// Reads one pending signal number from a signalfd, or `nil` when none is pending.
    /// The corresponding C function is `read`.
    public static func readSignal(_ fd: Int32) -> Int32? {
        var info = signalfd_siginfo()
        let result = withUnsafeMutableBytes(of: &info) { Glibc.read(fd, $0.baseAddress, $0.count) }
        guard result == MemoryLayout<signalfd_siginfo>.size else { return nil }
        return Int32(bitPattern: info.ssi_signo)
    }
}
