import SystemCalls
import Testing
import Varlink
import VarlinkJSON

@Suite("Bad input closes the connection without a reply; everyone else keeps being served")
struct MalformedInputTests {
    static let closing: [String] = [
        "hello",
        "{\"method\":",
        "[1,2,3]",
        "\"just a string\"",
        "42",
        "null",
        "",
        "{}",
        #"{"parameters":{}}"#,
        #"{"method":""}"#,
        #"{"method":7}"#,
        #"{"method":"org.berth.test.Echo","parameters":[]}"#,
        #"{"method":"org.berth.test.Echo","parameters":"x"}"#,
        #"{"method":"org.berth.test.Echo","more":"yes"}"#,
        #"{"method":"org.berth.test.Echo","oneway":1}"#,
        #"{"method":"org.berth.test.Echo","more":true,"oneway":true}"#,
        #"{"method":"org.berth.test.Echo","upgrade":true,"more":true}"#,
        #"{"method":"org.berth.test.Echo","bogus":true}"#,
        #"{"method":"org.berth.test.Echo","method":"org.berth.test.Echo"}"#,
        "{\"method\":\"org.berth.test.\u{1}\"}",
        "\u{FF}\u{FE}",
    ]

    @Test("malformed, non-object and wrong-key messages close the connection", arguments: 0..<closing.count)
    func closes(index: Int) async throws {
        let server = try TestServer()
        let bad = try await server.raw()
        let good = try await server.raw()
        var bytes = Array(Self.closing[index].utf8)
        if index == MalformedInputTests.closing.count - 1 { bytes = [0xFF, 0xFE] }
        try await bad.send(bytes + [0])
        #expect(try await bad.waitForClose(), "message \(index) should close the connection")
        try await good.send(#"{"method":"org.berth.test.Echo","parameters":{"value":{"ok":true}}}"# + "\0")
        #expect(try await good.receive() == #"{"parameters":{"value":{"ok":true}}}"#)
        try await server.stop()
    }

    @Test("namespaced vendor keys are ignored, false flags are accepted")
    func vendorKeys() async throws {
        let server = try TestServer()
        let peer = try await server.raw()
        try await peer.send(
            #"{"method":"org.berth.test.Echo","org.example":{"trace":1},"more":false,"oneway":false,"upgrade":false}"#
                + "\0"
        )
        #expect(try await peer.receive() == "{}")
        try await server.stop()
    }

    @Test("a 20 MiB message is refused by closing; other clients are still served")
    func oversizedMessage() async throws {
        let server = try TestServer()
        let big = try await server.raw()
        let good = try await server.client()
        let prefix = Array(#"{"method":"org.berth.test.Echo","parameters":{"value":{"x":""#.utf8)
        let filler = [UInt8](repeating: UInt8(ascii: "a"), count: 20 << 20)
        let sending = Task { try? await big.send(prefix + filler + Array("\"}}}\0".utf8)) }
        #expect(try await big.waitForClose(timeoutMilliseconds: 10_000))
        _ = await sending.value
        #expect(try await good.call("org.berth.test.Echo", parameters: [:]).isEmpty)
        good.close()
        try await server.stop()
    }

    @Test("a message just under the limit is accepted")
    func underLimit() async throws {
        let server = try TestServer(configuration: .init(maximumMessageSize: 1 << 20))
        let client = try await server.client()
        let value = String(repeating: "b", count: (1 << 20) - 100)
        let reply = try await client.call("org.berth.test.Echo", parameters: ["value": ["v": .string(value)]])
        #expect(reply["value"]?.objectValue?["v"]?.stringValue?.count == value.count)
        client.close()
        try await server.stop()
    }

    @Test("a garbage message after good ones: the good ones are answered first")
    func goodThenBad() async throws {
        let server = try TestServer()
        let peer = try await server.raw()
        try await peer.send(
            #"{"method":"org.berth.test.Echo"}"# + "\0" + "garbage\0" + #"{"method":"org.berth.test.Echo"}"# + "\0"
        )
        #expect(try await peer.receive() == "{}")
        #expect(try await peer.receive() == nil)
        try await server.stop()
    }
}
