import SystemCalls
import Testing
import Varlink
import VarlinkJSON

@Suite("org.varlink.service and standard errors")
struct ServiceErrorTests {
    @Test("GetInfo lists org.varlink.service first, then registered interfaces")
    func getInfo() async throws {
        let server = try TestServer()
        let client = try await server.client()
        let info = try await client.call("org.varlink.service.GetInfo")
        #expect(info["vendor"] == "Berth")
        #expect(info["product"] == "test")
        #expect(info["version"] == "0")
        #expect(info["url"] == "https://example.invalid")
        #expect(info["interfaces"] == ["org.varlink.service", "org.berth.test"])
        client.close()
        try await server.stop()
    }

    @Test("GetInterfaceDescription returns the registered text verbatim")
    func interfaceDescription() async throws {
        let server = try TestServer()
        let client = try await server.client()
        let reply = try await client.call(
            "org.varlink.service.GetInterfaceDescription",
            parameters: ["interface": "org.berth.test"]
        )
        #expect(reply["description"]?.stringValue == TestInterface.idl)
        let service = try await client.call(
            "org.varlink.service.GetInterfaceDescription",
            parameters: ["interface": "org.varlink.service"]
        )
        #expect(service["description"]?.stringValue?.contains("error ExpectedMore ()") == true)
        client.close()
        try await server.stop()
    }

    static let cases: [(String, JSONObject?, VarlinkServiceError)] = [
        ("org.nowhere.Thing", nil, .interfaceNotFound(interface: "org.nowhere")),
        ("org.berth.test.Missing", nil, .methodNotFound(method: "org.berth.test.Missing")),
        ("NoDotAtAll", nil, .methodNotFound(method: "NoDotAtAll")),
        ("org.berth.test.NotImplemented", nil, .methodNotImplemented(method: "org.berth.test.NotImplemented")),
        ("org.berth.test.Typed", [:], .invalidParameter(parameter: "name")),
        ("org.berth.test.Typed", ["name": 5], .invalidParameter(parameter: "name")),
        ("org.berth.test.Typed", ["name": "x", "extra": true], .invalidParameter(parameter: "extra")),
        ("org.berth.test.Denied", nil, .permissionDenied),
        ("org.berth.test.RequireMore", nil, .expectedMore),
        (
            "org.varlink.service.GetInterfaceDescription", ["interface": "org.nowhere"],
            .interfaceNotFound(interface: "org.nowhere")
        ),
        ("org.varlink.service.GetInterfaceDescription", [:], .invalidParameter(parameter: "interface")),
        ("org.varlink.service.GetInfo", ["bogus": 1], .invalidParameter(parameter: "bogus")),
        ("org.varlink.service.Nope", nil, .methodNotFound(method: "org.varlink.service.Nope")),
    ]

    @Test("every standard error arrives with its parameters", arguments: 0..<cases.count)
    func standardError(index: Int) async throws {
        let (method, parameters, expected) = Self.cases[index]
        let server = try TestServer()
        let client = try await server.client()
        await #expect(throws: VarlinkRemoteError(name: expected.errorName, parameters: expected.errorParameters)) {
            _ = try await client.call(method, parameters: parameters)
        }
        // The connection stays usable after an error reply.
        let echo = try await client.call("org.berth.test.Echo", parameters: ["value": ["a": 1]])
        #expect(echo["value"] == ["a": 1])
        client.close()
        try await server.stop()
    }

    @Test("error wire form: name plus parameters, decoded back to the typed error")
    func wireForm() async throws {
        let server = try TestServer()
        let peer = try await server.raw()
        try await peer.send(#"{"method":"org.berth.test.Typed","parameters":{}}"# + "\0")
        #expect(
            try await peer.receive()
                == #"{"error":"org.varlink.service.InvalidParameter","parameters":{"parameter":"name"}}"#
        )
        try await peer.send(#"{"method":"org.berth.test.Denied"}"# + "\0")
        #expect(try await peer.receive() == #"{"error":"org.varlink.service.PermissionDenied"}"#)
        let decoded = VarlinkRemoteError(
            name: "org.varlink.service.InvalidParameter",
            parameters: ["parameter": "name"]
        )
        #expect(decoded.serviceError == .invalidParameter(parameter: "name"))
        #expect(VarlinkRemoteError(name: "io.example.Other").serviceError == nil)
        try await server.stop()
    }

    @Test("custom errors and non-Varlink errors thrown by handlers")
    func handlerErrors() async throws {
        let server = try TestServer()
        let client = try await server.client()
        await #expect(throws: VarlinkRemoteError(name: "org.berth.test.Custom", parameters: ["why": "because"])) {
            _ = try await client.call("org.berth.test.Custom")
        }
        await #expect(
            throws: VarlinkRemoteError(name: "io.systemd.System", parameters: ["origin": "linux", "errno": 2])
        ) {
            _ = try await client.call("org.berth.test.SystemFailure")
        }
        // A handler that returns without replying still produces a (empty) reply.
        #expect(try await client.call("org.berth.test.NoReply").isEmpty)
        client.close()
        try await server.stop()
    }
}
