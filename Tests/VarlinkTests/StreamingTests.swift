import SystemCalls
import Testing
import Varlink
import VarlinkJSON

@Suite("more, oneway, upgrade")
struct StreamingTests {
    @Test("a more call streams continues replies, then the final one")
    func more() async throws {
        let server = try TestServer()
        let client = try await server.client()
        var indices: [Int64] = []
        for try await reply in client.stream("org.berth.test.Count", parameters: ["count": 5]) {
            indices.append(reply["index"]?.int64Value ?? -1)
        }
        #expect(indices == [0, 1, 2, 3, 4, 5])
        // The connection is usable again afterwards.
        #expect(try await client.call("org.berth.test.Echo", parameters: [:]).isEmpty)
        client.close()
        try await server.stop()
    }

    @Test("wire form of a stream: continues on all but the last")
    func wireForm() async throws {
        let server = try TestServer()
        let peer = try await server.raw()
        try await peer.send(#"{"method":"org.berth.test.Count","parameters":{"count":2},"more":true}"# + "\0")
        #expect(try await peer.receive() == #"{"parameters":{"index":0},"continues":true}"#)
        #expect(try await peer.receive() == #"{"parameters":{"index":1},"continues":true}"#)
        #expect(try await peer.receive() == #"{"parameters":{"index":2}}"#)
        try await server.stop()
    }

    @Test("notify without more ends the call with ExpectedMore")
    func notifyWithoutMore() async throws {
        let server = try TestServer()
        let client = try await server.client()
        await #expect(throws: VarlinkRemoteError(name: "org.varlink.service.ExpectedMore")) {
            _ = try await client.call("org.berth.test.Count", parameters: ["count": 3])
        }
        #expect(try await client.call("org.berth.test.Echo", parameters: [:]).isEmpty)
        client.close()
        try await server.stop()
    }

    @Test("a big stream is delivered completely with backpressure")
    func bigStream() async throws {
        let server = try TestServer()
        let client = try await server.client()
        var count: Int64 = 0
        for try await reply in client.stream("org.berth.test.Count", parameters: ["count": 50_000]) {
            #expect(reply["index"]?.int64Value == count)
            count += 1
        }
        #expect(count == 50_001)
        client.close()
        try await server.stop()
    }

    @Test("a stream produced on the I/O thread is paced by the client and followed by pipelined calls")
    func producedStream() async throws {
        let server = try TestServer()
        let peer = try await server.raw()
        try await peer.send(
            #"{"method":"org.berth.test.Produce","parameters":{"count":30000},"more":true}"# + "\0"
                + #"{"method":"org.berth.test.Produce","parameters":{"count":1},"more":true}"# + "\0"
        )
        for index in 0..<30000 {
            let expected = #"{"parameters":{"index":\#(index)},"continues":true}"#
            guard try await peer.receive() == expected else {
                Issue.record("reply \(index) out of order")
                break
            }
        }
        #expect(try await peer.receive() == #"{"parameters":{"index":30000}}"#)
        #expect(try await peer.receive() == #"{"parameters":{"index":0},"continues":true}"#)
        #expect(try await peer.receive() == #"{"parameters":{"index":1}}"#)
        try await server.stop()
    }

    @Test("oneway calls get no reply, not even errors, and keep ordering")
    func oneway() async throws {
        let server = try TestServer()
        let peer = try await server.raw()
        try await peer.send(
            #"{"method":"org.berth.test.Echo","oneway":true}"# + "\0" + #"{"method":"org.nowhere.X","oneway":true}"#
                + "\0"
                + #"{"method":"org.berth.test.Slow","parameters":{"ms":10},"oneway":true}"# + "\0"
                + #"{"method":"org.berth.test.Echo","parameters":{"value":{"last":true}}}"# + "\0"
        )
        #expect(try await peer.receive() == #"{"parameters":{"value":{"last":true}}}"#)
        #expect(try await !peer.hasData(withinMilliseconds: 50))
        let client = try await server.client()
        try await client.oneway("org.berth.test.Echo", parameters: [:])
        #expect(
            try await client.call("org.berth.test.Echo", parameters: ["value": ["after": 1]])["value"] == ["after": 1]
        )
        client.close()
        try await server.stop()
    }

    @Test("upgrade hands the raw connection to the handler after the confirmation")
    func upgrade() async throws {
        let server = try TestServer()
        let client = try await server.client()
        let (reply, connection) = try await client.upgrade("org.berth.test.Upgrade")
        #expect(reply["protocol"] == "shout")
        let peer = RawPeer(descriptor: connection.fileDescriptor.rawValue)
        try await peer.send("hello\0world\0")
        #expect(try await peer.receive() == "HELLO")
        #expect(try await peer.receive() == "WORLD")
        Posix.shutdownSocket(connection.fileDescriptor.rawValue)
        #expect(await server.eventually { $0.callsInFlight == 0 && $0.connections == 0 })
        try await server.stop()
    }

    @Test("bytes sent right after the upgrade call reach the upgraded handler")
    func upgradeEarlyData() async throws {
        let server = try TestServer()
        let peer = try await server.raw()
        try await peer.send(#"{"method":"org.berth.test.Upgrade","upgrade":true}"# + "\0" + "early\0")
        #expect(try await peer.receive() == #"{"parameters":{"protocol":"shout"}}"#)
        #expect(try await peer.receive() == "EARLY")
        peer.close()
        try await server.stop()
    }

    @Test("an upgrade call answered normally stays Varlink")
    func upgradeRefused() async throws {
        let server = try TestServer()
        let client = try await server.client()
        await #expect(throws: VarlinkRemoteError.self) { _ = try await client.upgrade("org.berth.test.Denied") }
        client.close()
        try await server.stop()
    }

    @Test("a client leaving mid-stream releases the streaming handler")
    func abandonedStream() async throws {
        let server = try TestServer()
        let client = try await server.client()
        var received = 0
        for try await _ in client.stream("org.berth.test.Flood") {
            received += 1
            if received == 3 { break }
        }
        client.close()
        #expect(await server.eventually { $0.callsInFlight == 0 && $0.connections == 0 })
        try await server.stop()
    }
}
