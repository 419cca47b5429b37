// Placeholder: writes each requested output file empty until the generator lands.
#if canImport(Glibc)
import Glibc
#endif
let args = CommandLine.arguments
if let i = args.firstIndex(of: "--output") {
    for path in args[(i + 1)...] where !path.hasPrefix("-") {
        if let f = fopen(path, "w") { fclose(f) }
    }
}
