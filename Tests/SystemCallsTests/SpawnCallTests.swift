import SystemCalls
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The calls the `varlink` CLI uses instead of Foundation's Process, FileManager and ProcessInfo.
@Suite("Spawn, pipe and environment calls")
struct SpawnCallTests {
    @Test("a spawned child reads the pipe as its stdin and sees exactly the environment it was given")
    func spawnWithPipe() throws {
        let pipe = try Posix.makePipe()
        let script = #"read line; [ "$line" = "hello $GREETING" ] && [ -z "$HOME" ] && exit 7; exit 1"#
        let pid = try Posix.spawn(
            path: "/bin/sh",
            arguments: ["-c", script],
            environment: ["GREETING=world"],
            standardInput: pipe.read
        )
        pipe.read.close()
        try pipe.write.writeAll("hello world\n".utf8)
        pipe.write.close()
        #expect(try Posix.wait(for: pid) == .exited(7))
    }

    @Test("a spawned child has SIGPIPE at its default although this process ignores it")
    func spawnResetsBrokenPipe() throws {
        Posix.ignoreBrokenPipeSignal()
        let pipe = try Posix.makePipe()
        defer { pipe.write.close() }
        // SigIgn is the hex mask of ignored signals; SIGPIPE (13) is bit 12.
        let script = #"mask=$(sed -n 's/^SigIgn:[[:space:]]*//p' /proc/self/status); [ $((0x$mask & 0x1000)) -eq 0 ]"#
        let pid = try Posix.spawn(
            path: "/bin/sh",
            arguments: ["-c", script],
            environment: [],
            standardInput: pipe.read
        )
        pipe.read.close()
        #expect(try Posix.wait(for: pid) == .exited(0))
    }

    @Test("both ends of a pipe are close-on-exec, so a spawned pager never inherits the write end")
    func pipeIsCloseOnExec() throws {
        let pipe = try Posix.makePipe()
        defer {
            pipe.read.close()
            pipe.write.close()
        }
        for end in [pipe.read, pipe.write] {
            #expect(fcntl(end.rawValue, F_GETFD) & FD_CLOEXEC != 0, "\(end)")
        }
    }

    @Test("spawning a missing program throws ENOENT from posix_spawn")
    func spawnMissingProgram() throws {
        let pipe = try Posix.makePipe()
        defer {
            pipe.read.close()
            pipe.write.close()
        }
        #expect(throws: SystemCallError(call: "posix_spawn", errno: ENOENT, detail: "/nonexistent/program")) {
            try Posix.spawn(path: "/nonexistent/program", arguments: [], environment: [], standardInput: pipe.read)
        }
    }

    @Test("isExecutableFile: an executable regular file, not a directory or a file without x bits")
    func executableFiles() throws {
        let path = "/tmp/berth-spawn-test-\(getpid())"
        let fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o644)
        try #require(fd >= 0)
        close(fd)
        defer { unlink(path) }
        #expect(!Posix.isExecutableFile(path))
        try #require(chmod(path, 0o755) == 0)
        #expect(Posix.isExecutableFile(path))
        #expect(!Posix.isExecutableFile("/tmp"))
        #expect(!Posix.isExecutableFile("/nonexistent/program"))
    }

    @Test("environmentValue and environmentDictionary read the process environment as set now")
    func environment() throws {
        let name = "BERTH_SPAWN_TEST_\(getpid())"
        #expect(Posix.environmentValue(name) == nil)
        try #require(setenv(name, "a=b", 1) == 0)
        defer { unsetenv(name) }
        #expect(Posix.environmentValue(name) == "a=b")
        #expect(Posix.environmentDictionary()[name] == "a=b")
    }
}
