#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Ends the process with `status`, flushing stdio first (ArgumentParser output uses it).
func exitProcess(_ status: ExitStatus) -> Never {
    exit(status.rawValue)
}
