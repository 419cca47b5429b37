// berth-numbers: the measurements behind the README's local figures, printed one line each.
//   berth-numbers idl RUNS FILE…             parse every file (one pass = all files), median over RUNS passes
//   berth-numbers ping ADDRESS CALLS         sequential Ping calls with the Varlink client, as a library uses it
//   berth-numbers exec RUNS PROGRAM [ARG…]   spawn + wait (output to /dev/null), median over RUNS
//   berth-numbers cycle RUNS CMD… :: CMD…    the commands in turn (e.g. attach :: detach), RUNS rounds,
//                                            each command's median
// Built and driven by Benchmarks/numbers/run.sh.
import Foundation
import SystemCalls
import Varlink
import VarlinkIDL
import VarlinkJSON

#if canImport(Glibc)
import Glibc
#endif

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("berth-numbers: \(message)\n".utf8))
    exit(2)
}

func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1e3 + Double(duration.components.attoseconds) / 1e15
}

/// Median and minimum of `samples` (milliseconds).
func summary(_ samples: [Double]) -> (median: Double, minimum: Double) {
    let sorted = samples.sorted()
    return (sorted[sorted.count / 2], sorted[0])
}

func format(_ value: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", value) }

func parseIDL(runs: Int, files: [String]) {
    let texts = files.map { file in
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { fail("cannot read \(file)") }
        return (file, text)
    }
    var members = 0
    for (file, text) in texts {
        do { members += try IDLParser.parse(text, fileName: file).members.count } catch { fail("\(file): \(error)") }
    }
    let bytes = texts.reduce(0) { $0 + $1.1.utf8.count }
    let clock = ContinuousClock()
    var samples: [Double] = []
    for _ in 0..<runs {
        let elapsed = clock.measure {
            for (file, text) in texts { _ = try? IDLParser.parse(text, fileName: file) }
        }
        samples.append(milliseconds(elapsed))
    }
    let (median, minimum) = summary(samples)
    print(
        "idl-parse: \(texts.count) files, \(bytes) bytes, \(members) members: median \(format(median, 3)) ms "
            + "(min \(format(minimum, 3)) ms) per pass over all of them, \(runs) passes"
    )
}

/// A library client's sequential Pings (it waits on the shared client I/O loop). berthctl and `varlink` do
/// their I/O inline on their own thread instead; the whole `varlink call` process below covers that path.
func ping(address: String, calls: Int) async {
    guard let parsed = try? VarlinkAddress(parsing: address) else { fail("bad address \(address)") }
    do {
        let client = try await VarlinkClient.connect(to: parsed)
        defer { client.close() }
        let clock = ContinuousClock()
        var samples: [Double] = []
        for index in 0..<(calls + 100) {
            let started = clock.now
            _ = try await client.call("org.example.bench.Ping", parameters: ["ping": .string("x")])
            if index >= 100 { samples.append(milliseconds(clock.now - started) * 1000) }  // after warm-up
        }
        let (median, minimum) = summary(samples)
        print(
            "client-ping: library client (waits on the client I/O loop): median \(format(median, 1)) µs "
                + "(min \(format(minimum, 1)) µs), \(calls) calls"
        )
    } catch {
        fail("ping: \(error)")
    }
}

func spawnAndWait(_ arguments: [String]) -> Double {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    var argv = arguments.map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    let clock = ContinuousClock()
    let started = clock.now
    var pid: pid_t = 0
    guard posix_spawn(&pid, arguments[0], &actions, nil, &argv, environ) == 0 else { fail("spawn \(arguments[0])") }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    let elapsed = milliseconds(clock.now - started)
    guard status == 0 else { fail("\(arguments.joined(separator: " ")) exited with status \(status)") }
    return elapsed
}

func timeProcess(runs: Int, arguments: [String]) {
    _ = spawnAndWait(arguments)  // warm-up: page cache, dynamic loader cache
    report(arguments, (0..<runs).map { _ in spawnAndWait(arguments) })
}

func report(_ command: [String], _ samples: [Double]) {
    let (median, minimum) = summary(samples)
    let line = command.joined(separator: " ")
    print("exec: \(line): median \(format(median)) ms (min \(format(minimum)) ms), \(samples.count) runs")
}

/// Runs the commands in turn, `runs` rounds after a warm-up round; state carries over (attach, detach).
func timeCycle(runs: Int, commands: [[String]]) {
    for command in commands { _ = spawnAndWait(command) }
    var samples = [[Double]](repeating: [], count: commands.count)
    for _ in 0..<runs {
        for (index, command) in commands.enumerated() { samples[index].append(spawnAndWait(command)) }
    }
    for (command, times) in zip(commands, samples) { report(command, times) }
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard arguments.count >= 3, let count = Int(arguments[1]) ?? Int(arguments[2]) else {
    fail(
        "usage: berth-numbers idl RUNS FILE… | ping ADDRESS CALLS | exec RUNS PROGRAM [ARG…] | cycle RUNS CMD… :: CMD…"
    )
}
switch arguments[0] {
case "idl": parseIDL(runs: count, files: Array(arguments.dropFirst(2)))
case "ping":
    // On Swift's cooperative pool, where a library user's tasks run (not the main actor).
    await Task.detached { await ping(address: arguments[1], calls: count) }.value
case "exec": timeProcess(runs: count, arguments: Array(arguments.dropFirst(2)))
case "cycle":
    let commands = arguments.dropFirst(2).split(separator: "::").map(Array.init)
    timeCycle(runs: count, commands: commands)
default: fail("unknown mode \(arguments[0])")
}
