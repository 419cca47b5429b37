import BerthCLI
import Varlink

#if canImport(Glibc)
import Glibc
#endif

// Synchronous main: the verb runs on this thread (see CurrentThreadExecutor), with no thread pool to start.
let arguments = Array(CommandLine.arguments.dropFirst())
exit(CurrentThreadExecutor.run { await Berthctl.run(arguments: arguments) })
