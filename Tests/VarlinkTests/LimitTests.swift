import SystemCalls
import Testing
import Varlink
import VarlinkJSON

#if canImport(Glibc)
import Glibc
#endif

@Suite("Limits: connection caps, slow and stalled clients", .serialized)
struct LimitTests {
    /// Opens `count` raw connections (blocking connect on abstract sockets never waits for accept).
    private func openConnections(_ count: Int, to name: String) throws -> [Int32] {
        var fds: [Int32] = []
        for _ in 0..<count {
            let fd = try Posix.unixStreamSocket(nonBlocking: true)
            do {
                try Posix.connectUnix(fd, name: name, abstract: true)
            } catch {
                Posix.close(fd)
                if error.errno == EAGAIN { continue }  // backlog full: refused, which is fine too
                throw error
            }
            fds.append(fd)
        }
        return fds
    }

    @Test("5000 connections against the default cap of 4096: the extra ones are closed, the rest are served")
    func connectionCap() async throws {
        let server = try TestServer(configuration: .init(maximumConnectionsPerUID: nil))
        let fds = try openConnections(5000, to: server.name)
        defer { for fd in fds { Posix.close(fd) } }
        #expect(await server.eventually { $0.connections >= 4096 })
        try await Task.sleep(for: .milliseconds(50))
        #expect(server.server.activity.connections == 4096)
        // Count which sockets the server closed: those read EOF.
        let closedCount = try await offPool { () -> Int in
            var closed = 0
            var byte: UInt8 = 0
            for fd in fds {
                let result = try withUnsafeMutableBytes(of: &byte) { try Posix.receive(fd, into: $0) }
                if case .done(let chunk) = result, chunk.byteCount == 0 { closed += 1 }
            }
            return closed
        }
        #expect(closedCount == fds.count - 4096)
        // An admitted connection still works.
        let admitted = RawPeer(descriptor: try Posix.duplicate(fds[0]))
        try await admitted.send(#"{"method":"org.berth.test.Echo"}"# + "\0")
        #expect(try await admitted.receive() == "{}")
        try await server.stop()
    }

    @Test("the per-UID cap keeps one user from taking every slot; closing frees slots")
    func perUIDCap() async throws {
        let server = try TestServer(configuration: .init(maximumConnectionsPerUID: 10))
        var fds = try openConnections(15, to: server.name)
        #expect(await server.eventually { $0.connections == 10 })
        try await Task.sleep(for: .milliseconds(30))
        #expect(server.server.activity.connections == 10)
        for fd in fds { Posix.close(fd) }
        #expect(await server.eventually { $0.connections == 0 })
        fds = try openConnections(10, to: server.name)
        #expect(await server.eventually { $0.connections == 10 })
        for fd in fds { Posix.close(fd) }
        try await server.stop()
    }

    @Test("a client that never reads is dropped when its output hits the cap; others are served meanwhile")
    func neverReads() async throws {
        let server = try TestServer(configuration: .init(maximumOutputBuffer: 2 << 20))
        let stalled = try await server.raw()
        var calls = ""
        for _ in 0..<64 { calls += #"{"method":"org.berth.test.Big","parameters":{"size":262144}}"# + "\0" }
        try await stalled.send(calls)
        let other = try await server.client()
        #expect(
            try await other.call("org.berth.test.Echo", parameters: ["value": ["ok": true]])["value"] == ["ok": true]
        )
        #expect(await server.eventually { $0.connections == 1 })
        other.close()
        try await server.stop()
    }

    @Test("a streaming client that stops reading stalls only its own stream (memory bounded by backpressure)")
    func stalledStream() async throws {
        let server = try TestServer()
        let stalled = try await server.raw()
        try await stalled.send(#"{"method":"org.berth.test.Flood","more":true}"# + "\0")
        try await Task.sleep(for: .milliseconds(100))
        let other = try await server.client()
        #expect(try await other.call("org.berth.test.Echo", parameters: [:]).isEmpty)
        other.close()
        Posix.shutdownSocket(stalled.fd)
        #expect(await server.eventually { $0.callsInFlight == 0 })
        try await server.stop()
    }

    @Test("a client that never completes its message is dropped after the timeout")
    func incompleteMessage() async throws {
        let server = try TestServer(configuration: .init(incompleteMessageTimeout: .milliseconds(150)))
        let slow = try await server.raw()
        try await slow.send(#"{"method":"org.berth.test.Ec"#)
        let idle = try await server.raw()
        #expect(try await slow.waitForClose(timeoutMilliseconds: 5000))
        // A connection that sent nothing is idle, not slow: it stays (as in sd-varlink).
        #expect(try await !idle.hasData(withinMilliseconds: 50))
        try await idle.send(#"{"method":"org.berth.test.Echo"}"# + "\0")
        #expect(try await idle.receive() == "{}")
        try await server.stop()
    }

    @Test("idle connections are dropped when an idle timeout is configured")
    func idleTimeout() async throws {
        let server = try TestServer(configuration: .init(idleConnectionTimeout: .milliseconds(100)))
        let idle = try await server.raw()
        #expect(try await idle.waitForClose(timeoutMilliseconds: 5000))
        try await server.stop()
    }
}
