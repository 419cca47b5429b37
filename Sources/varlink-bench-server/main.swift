// varlink-bench-server --listen=ADDRESS: org.example.bench on the Varlink library, for the peers' bench harness (scripts/bench.sh BENCH_DIR).
import SystemCalls
import Varlink

#if canImport(Glibc)
import Glibc
#endif

func fail(_ message: String) -> Never {
    try? FileDescriptor.standardError.writeAll("varlink-bench-server: \(message)\n".utf8)
    exit(1)
}

var listen: String?
for argument in CommandLine.arguments.dropFirst() {
    if argument.hasPrefix("--listen=") {
        listen = String(argument.dropFirst("--listen=".count))
    } else if argument == "--help" || argument == "-h" {
        print("usage: varlink-bench-server --listen=ADDRESS   (unix:/path, /path, @name; default $VARLINK_ADDRESS)")
        exit(0)
    } else if !argument.hasPrefix("-") && listen == nil {
        listen = argument
    } else {
        fail("unknown argument \(argument)")
    }
}
if listen == nil, let fromEnvironment = getenv("VARLINK_ADDRESS") { listen = String(cString: fromEnvironment) }
guard let listen else { fail("--listen=ADDRESS is required") }

// One malloc arena: replies built on other threads (anything a handler hands off) are freed on the I/O
// thread, and per-thread arenas would each keep their own free pages (measured: ~4 MiB more peak RSS in
// the stream scenario when handlers ran on the pool).
Posix.setMallocArenaLimit(1)

let server = VarlinkServer(
    configuration: .init(
        vendor: "Berth",
        product: "varlink-bench-server",
        version: BerthVersion.current,
        url: "https://github.com/berth"
    )
)
server.register(BenchInterface())
do {
    try server.stopOnSignals([SIGTERM, SIGINT])
    try server.listen(on: VarlinkAddress(parsing: listen))
    _ = try server.runOnCurrentThread()
} catch {
    fail("\(error)")
}
