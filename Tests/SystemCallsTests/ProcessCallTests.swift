import SystemCalls
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("Process system calls")
struct ProcessCallTests {
    @Test("a socket-activated child gets the socket as fd 3 and LISTEN_PID equal to its own pid")
    func spawnSocketActivated() throws {
        guard access("/bin/sh", X_OK) == 0 else {
            Issue.record("needs /bin/sh")
            return
        }
        let (mine, theirs) = try Posix.unixStreamSocketPair(nonBlocking: false)
        defer { Posix.close(mine) }
        let script = #"printf '%s %s %s %s' "$LISTEN_FDS" "$LISTEN_PID" "$LISTEN_FDNAMES" "$$" >&3"#
        let pid = try Posix.spawnSocketActivated(
            path: "/bin/sh",
            arguments: ["-c", script],
            environment: ["PATH=/usr/bin:/bin", "LISTEN_FDS=9"],
            socket: theirs,
            descriptorName: "varlink"
        )
        Posix.close(theirs)
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 256)
        while try Posix.poll(mine, for: .readable, timeoutMilliseconds: 5000) {
            let count = buffer.withUnsafeMutableBytes { read(mine, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            output.append(contentsOf: buffer[0..<count])
        }
        #expect(try Posix.wait(for: pid) == .exited(0))
        let words = String(decoding: output, as: UTF8.self).split(separator: " ").map(String.init)
        #expect(words == ["1", String(pid), "varlink", String(pid)])
    }

    @Test("raiseOpenFileLimit lifts the soft RLIMIT_NOFILE to the hard one, as berthd does at start")
    func raiseOpenFileLimit() throws {
        var original = rlimit()
        try #require(getrlimit(Int32(RLIMIT_NOFILE.rawValue), &original) == 0)
        defer { _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &original) }
        try #require(original.rlim_max > 512, "the hard limit leaves nothing to raise")
        var lowered = original
        lowered.rlim_cur = 512
        try #require(setrlimit(Int32(RLIMIT_NOFILE.rawValue), &lowered) == 0)
        #expect(Posix.openFileLimit() == 512)
        #expect(Posix.raiseOpenFileLimit() == UInt64(original.rlim_max))
        #expect(Posix.openFileLimit() == UInt64(original.rlim_max))
    }

    @Test("a program that cannot be executed exits 127")
    func missingProgram() throws {
        let (mine, theirs) = try Posix.unixStreamSocketPair(nonBlocking: false)
        defer {
            Posix.close(mine)
            Posix.close(theirs)
        }
        let pid = try Posix.spawnSocketActivated(
            path: "/nonexistent/program",
            arguments: [],
            environment: [],
            socket: theirs,
            descriptorName: "varlink"
        )
        #expect(try Posix.wait(for: pid) == .exited(127))
    }

    @Test("a thread started by startThread runs its body")
    func startThread() async throws {
        let ran: Bool = await withCheckedContinuation { continuation in
            do {
                try Posix.startThread { continuation.resume(returning: Posix.currentThreadID != 0) }
            } catch {
                continuation.resume(returning: false)
            }
        }
        #expect(ran)
    }
}
