import SystemCalls
import Testing
import Varlink
import VarlinkJSON

#if canImport(Glibc)
import Glibc
#endif

@Suite("SCM_RIGHTS descriptor passing, sd-varlink rules")
struct DescriptorPassingTests {
    private func pipeWith(_ text: String) throws -> Int32 {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw SystemCallError(call: "pipe", errno: errno) }
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { Glibc.write(fds[1], $0.baseAddress, $0.count) }
        Glibc.close(fds[1])
        return fds[0]
    }

    @Test("a descriptor sent with a call reaches the handler")
    func clientToServer() async throws {
        let server = try TestServer()
        let client = try await server.client()
        let fd = try pipeWith("through the socket")
        defer { Glibc.close(fd) }
        let reply = try await client.call(
            "org.berth.test.ReadDescriptor",
            parameters: ["fd": 0],
            fileDescriptors: [FileDescriptor(rawValue: fd)]
        )
        #expect(reply["content"] == "through the socket")
        #expect(reply["count"] == 1)
        client.close()
        try await server.stop()
    }

    @Test("a descriptor sent with a reply reaches the client")
    func serverToClient() async throws {
        let server = try TestServer()
        let client = try await server.client()
        let message = try await client.callReturningDescriptors(
            "org.berth.test.SendDescriptor",
            parameters: ["text": "back again"]
        )
        #expect(message.parameters["fd"] == 0)
        try #require(message.fileDescriptors.count == 1)
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = buffer.withUnsafeMutableBytes {
            Glibc.read(message.fileDescriptors[0].rawValue, $0.baseAddress, $0.count)
        }
        #expect(String(decoding: buffer[0..<max(0, count)], as: UTF8.self) == "back again")
        message.fileDescriptors[0].close()
        client.close()
        try await server.stop()
    }

    @Test("descriptors attach to the message whose first byte they arrive with, across pipelined calls")
    func pipelinedDescriptors() async throws {
        let server = try TestServer()
        let peer = try await server.raw()
        let first = try pipeWith("one")
        let second = try pipeWith("two")
        defer {
            Glibc.close(first)
            Glibc.close(second)
        }
        try await peer.send(
            Array((#"{"method":"org.berth.test.ReadDescriptor","parameters":{"fd":0}}"# + "\0").utf8),
            fileDescriptors: [first]
        )
        try await peer.send(
            Array((#"{"method":"org.berth.test.ReadDescriptor","parameters":{"fd":0}}"# + "\0").utf8),
            fileDescriptors: [second]
        )
        #expect(try await peer.receive() == #"{"parameters":{"content":"one","count":1}}"#)
        #expect(try await peer.receive() == #"{"parameters":{"content":"two","count":1}}"#)
        try await server.stop()
    }

    @Test("descriptors arriving in the middle of a message close the connection")
    func descriptorsMidMessage() async throws {
        let server = try TestServer()
        let peer = try await server.raw()
        let fd = try pipeWith("x")
        defer { Glibc.close(fd) }
        try await peer.send(#"{"method":"org.berth.test.Read"#)
        try await Task.sleep(for: .milliseconds(20))
        try await peer.send(Array(#"Descriptor","parameters":{"fd":0}}"#.utf8) + [0], fileDescriptors: [fd])
        #expect(try await peer.waitForClose())
        try await server.stop()
    }

    @Test("a call without descriptors sees none")
    func none() async throws {
        let server = try TestServer()
        let client = try await server.client()
        await #expect(
            throws: VarlinkRemoteError(name: "org.varlink.service.InvalidParameter", parameters: ["parameter": "fd"])
        ) {
            _ = try await client.call("org.berth.test.ReadDescriptor", parameters: ["fd": 0])
        }
        client.close()
        try await server.stop()
    }
}
