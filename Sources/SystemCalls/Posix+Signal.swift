#if canImport(Glibc)
import Glibc
#endif

extension Posix {
    /// Ignores SIGPIPE for the whole process, so writing to a reader that went away (a pager quit
    /// early) fails with `EPIPE` instead of killing the process. The corresponding C function is `signal`.
    package static func ignoreBrokenPipeSignal() {
        _ = signal(SIGPIPE, SIG_IGN)
    }

    /// Makes SIGINT and SIGTERM end the process at once with status 0: for commands that run until
    /// interrupted and write unbuffered (`berthctl watch`), so there is nothing to flush or undo. The
    /// signals are also unblocked in the calling thread: a parent may have started us with them blocked.
    /// The corresponding C functions are `signal`, `pthread_sigmask` and `_exit`.
    package static func exitSuccessfullyOnInterrupt() {
        var set = sigset_t()
        sigemptyset(&set)
        for number in [SIGINT, SIGTERM] {
            _ = signal(number) { _ in _exit(0) }
            sigaddset(&set, number)
        }
        _ = pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }
}
