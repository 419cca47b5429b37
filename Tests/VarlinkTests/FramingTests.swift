import SystemCalls
import Testing
import Varlink
import VarlinkJSON

@Suite("Framing: NUL-delimited messages, pipelining, partial I/O")
struct FramingTests {
    @Test("pipelined calls in one write are answered in order")
    func pipelined() async throws {
        let server = try TestServer()
        let peer = try await server.raw()
        var batch = ""
        for index in 0..<200 {
            batch += #"{"method":"org.berth.test.Echo","parameters":{"value":{"n":\#(index)}}}"# + "\0"
        }
        try await peer.send(batch)
        for index in 0..<200 {
            #expect(try await peer.receive() == #"{"parameters":{"value":{"n":\#(index)}}}"#)
        }
        try await server.stop()
    }

    @Test("a slow call holds back later pipelined calls (strict ordering)")
    func ordering() async throws {
        let server = try TestServer()
        let peer = try await server.raw()
        try await peer.send(
            #"{"method":"org.berth.test.Slow","parameters":{"ms":50}}"# + "\0"
                + #"{"method":"org.berth.test.Echo","parameters":{"value":{"x":1}}}"# + "\0"
        )
        #expect(try await peer.receive() == #"{"parameters":{"done":true}}"#)
        #expect(try await peer.receive() == #"{"parameters":{"value":{"x":1}}}"#)
        try await server.stop()
    }

    @Test("a byte-at-a-time writer is served")
    func byteByByte() async throws {
        let server = try TestServer()
        let peer = try await server.raw()
        try await peer.sendByteByByte(
            #"{"method":"org.berth.test.Echo","parameters":{"value":{"slow":"writer"}}}"# + "\0"
        )
        #expect(try await peer.receive() == #"{"parameters":{"value":{"slow":"writer"}}}"#)
        try await server.stop()
    }

    @Test("whitespace around the object is accepted; the reply is canonical")
    func whitespace() async throws {
        let server = try TestServer()
        let peer = try await server.raw()
        try await peer.send(" {\n \"method\" : \"org.berth.test.Echo\", \"parameters\": null } \n\0")
        #expect(try await peer.receive() == "{}")
        try await server.stop()
    }

    @Test("a reply bigger than the socket buffer arrives whole through partial writes")
    func partialWrites() async throws {
        let server = try TestServer()
        let client = try await server.client()
        let size = 4 << 20
        let reply = try await client.call("org.berth.test.Big", parameters: ["size": .int(Int64(size))])
        #expect(reply["data"]?.stringValue?.utf8.count == size)
        // And pipelined behind it, a small call still works.
        #expect(try await client.call("org.berth.test.Echo", parameters: [:]).isEmpty)
        client.close()
        try await server.stop()
    }

    @Test("a message split across many writes with pauses is reassembled")
    func splitMessage() async throws {
        let server = try TestServer()
        let peer = try await server.raw()
        let payload = String(repeating: "z", count: 100_000)
        let message = Array(
            (#"{"method":"org.berth.test.Echo","parameters":{"value":{"k":""# + payload + "\"}}}\0").utf8
        )
        var offset = 0
        while offset < message.count {
            let end = min(message.count, offset + 7919)
            try await peer.send(Array(message[offset..<end]))
            offset = end
        }
        let text = try #require(try await peer.receive())
        #expect(text == #"{"parameters":{"value":{"k":""# + payload + "\"}}}")
        try await server.stop()
    }
}
