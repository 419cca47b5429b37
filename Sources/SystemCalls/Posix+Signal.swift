#if canImport(Glibc)
import Glibc
#endif

extension Posix {
    /// Ignores SIGPIPE for the whole process, so writing to a reader that went away (a pager quit
    /// early) fails with `EPIPE` instead of killing the process. The corresponding C function is `signal`.
    package static func ignoreBrokenPipeSignal() {
        _ = signal(SIGPIPE, SIG_IGN)
    }
}
