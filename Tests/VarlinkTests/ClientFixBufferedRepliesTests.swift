import SystemCalls
import Testing
import Varlink
import VarlinkJSON

#if canImport(Glibc)
import Glibc
#endif

/// A peer that answers and closes at once: the client must hand out every complete reply that
/// arrived before the close, and only then report `.closed`.
@Suite("Client: replies buffered before the peer closes")
struct ClientFixBufferedRepliesTests {
    static let streamReplies =
        #"{"parameters":{"index":0},"continues":true}"# + "\0"
        + #"{"parameters":{"index":1},"continues":true}"# + "\0"
        + #"{"parameters":{"index":2}}"# + "\0"

    /// Writes `text` whole on a blocking descriptor.
    static func writeAll(_ fd: Int32, _ text: String) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { raw in write(fd, raw.baseAddress! + offset, raw.count - offset) }
            guard written > 0 else { return }
            offset += written
        }
    }

    /// Reads until the first NUL (one request) on a blocking descriptor.
    static func readRequest(_ fd: Int32) {
        var byte: UInt8 = 1
        while read(fd, &byte, 1) == 1 && byte != 0 {}
    }

    static func collect(_ client: VarlinkClient) async throws -> [Int] {
        var indices: [Int] = []
        for try await reply in client.stream("org.example.bench.Stream", parameters: ["count": 3]) {
            guard case .int(let index) = reply["index"] else { throw TestFailure("no index in \(reply)") }
            indices.append(Int(index))
        }
        return indices
    }

    @Test("replies and EOF already queued: every reply is delivered (deterministic)")
    func repliesQueuedWithEOF() async throws {
        for _ in 0..<200 {
            let (mine, theirs) = try Posix.unixStreamSocketPair(nonBlocking: false)
            defer { Posix.close(theirs) }
            // All replies and the end of input are queued before the client reads: its first read gets
            // every reply, its read-ahead then meets EOF with two replies still buffered.
            Self.writeAll(theirs, Self.streamReplies)
            _ = shutdown(theirs, Int32(SHUT_WR))
            let client = try VarlinkClient(adoptingDescriptor: FileDescriptor(rawValue: mine), timeout: .seconds(5))
            defer { client.close() }
            #expect(try await Self.collect(client) == [0, 1, 2])
        }
    }

    @Test("a server that replies twice with continues, then finally, then closes")
    func serverClosesAfterReplying() async throws {
        for _ in 0..<200 {
            let (mine, theirs) = try Posix.unixStreamSocketPair(nonBlocking: false)
            let server = Task {
                try await offPool {
                    Self.readRequest(theirs)
                    Self.writeAll(theirs, Self.streamReplies)
                    Posix.close(theirs)
                }
            }
            let client = try VarlinkClient(adoptingDescriptor: FileDescriptor(rawValue: mine), timeout: .seconds(5))
            defer { client.close() }
            #expect(try await Self.collect(client) == [0, 1, 2])
            try await server.value
        }
    }

    @Test("after the last buffered reply, the close is reported as .closed")
    func closeReportedAfterReplies() async throws {
        let (mine, theirs) = try Posix.unixStreamSocketPair(nonBlocking: false)
        defer { Posix.close(theirs) }
        Self.writeAll(
            theirs,
            #"{"parameters":{"pong":"a"}}"# + "\0" + #"{"parameters":{"index":0},"continues":true}"# + "\0"
        )
        _ = shutdown(theirs, Int32(SHUT_WR))
        let client = try VarlinkClient(adoptingDescriptor: FileDescriptor(rawValue: mine), timeout: .seconds(5))
        defer { client.close() }
        #expect(try await client.call("org.example.bench.Ping", parameters: ["ping": "a"])["pong"] == "a")
        var received: [JSONObject] = []
        do {
            for try await reply in client.stream("org.example.bench.Stream", parameters: ["count": 2]) {
                received.append(reply)
            }
            Issue.record("the stream ended without an error although the final reply never came")
        } catch VarlinkConnectionError.closed {
            // expected: the one continues reply, then the close
        }
        #expect(received == [["index": 0]])
        await #expect(throws: VarlinkConnectionError.self) {
            _ = try await client.call("org.example.bench.Ping", parameters: ["ping": "b"])
        }
    }
}

/// Waiting on the clients' I/O loop: calls after or during `close()`, or across many clients, must fail
/// or finish cleanly, never hang.
@Suite("Client: waits on the I/O loop")
struct ClientFixIOThreadTests {
    @Test("a call after close() fails with notConnected instead of hanging")
    func callAfterClose() async throws {
        let (mine, theirs) = try Posix.unixStreamSocketPair(nonBlocking: false)
        defer { Posix.close(theirs) }
        ClientFixBufferedRepliesTests.writeAll(theirs, #"{"parameters":{"pong":"a"}}"# + "\0")
        let client = try VarlinkClient(adoptingDescriptor: FileDescriptor(rawValue: mine), timeout: .seconds(5))
        #expect(try await client.call("org.example.bench.Ping", parameters: ["ping": "a"])["pong"] == "a")
        client.close()
        await #expect(throws: VarlinkConnectionError.self) {
            _ = try await client.call("org.example.bench.Ping", parameters: ["ping": "b"])
        }
        await #expect(throws: VarlinkConnectionError.self) { try await client.oneway("org.example.bench.Ping") }
    }

    @Test("close() while a call waits on the I/O loop ends that call at once, not at its timeout")
    func closeDuringWait() async throws {
        let (mine, theirs) = try Posix.unixStreamSocketPair(nonBlocking: false)
        defer { Posix.close(theirs) }
        let client = try VarlinkClient(adoptingDescriptor: FileDescriptor(rawValue: mine), timeout: .seconds(20))
        let call = Task { try await client.call("org.example.bench.Ping", parameters: ["ping": "a"]) }
        try await Task.sleep(for: .milliseconds(50))
        let start = ContinuousClock.now
        client.close()
        await #expect(throws: VarlinkConnectionError.self) { _ = try await call.value }
        #expect(ContinuousClock.now - start < .seconds(5))
    }

    @Test("many short-lived clients each get their replies")
    func manyClients() async throws {
        for round in 0..<100 {
            let (mine, theirs) = try Posix.unixStreamSocketPair(nonBlocking: false)
            defer { Posix.close(theirs) }
            ClientFixBufferedRepliesTests.writeAll(theirs, #"{"parameters":{"pong":"\#(round)"}}"# + "\0")
            let client = try VarlinkClient(adoptingDescriptor: FileDescriptor(rawValue: mine), timeout: .seconds(5))
            let reply = try await client.call("org.example.bench.Ping", parameters: ["ping": "x"])
            #expect(reply["pong"] == .string("\(round)"))
            client.close()
        }
    }
}
