import BerthCLI

#if canImport(Glibc)
import Glibc
#endif

exit(await Berthctl.run(arguments: Array(CommandLine.arguments.dropFirst())))
