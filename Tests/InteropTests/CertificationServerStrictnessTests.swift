import Foundation
import Testing
import Varlink
import VarlinkJSON

/// Berth's certification server must reject what the python reference rejects: wrong values,
/// calls out of order, unknown client ids, missing `more`/`oneway` flags. Talks to the real
/// executable over a real socket with the Varlink client.
@Suite struct CertificationServerStrictnessTests {
    let directory = InteropScratch(prefix: "berth-cert")
    let prefix = "org.varlink.certification."

    private func withServer(_ body: (VarlinkClient) async throws -> Void) async throws {
        let socket = directory.join("cert.sock")
        let server = try PeerProcess(try InteropPeers.berth(), ["--listen=unix:\(socket)"])
        defer { server.stop() }
        #expect(server.waitForSocket(socket), "\(server.output)")
        let client = try await VarlinkClient.connect(to: "unix:\(socket)")
        defer { client.close() }
        try await body(client)
    }

    private func errorName(_ body: () async throws -> Void) async -> String? {
        do {
            try await body()
            return nil
        } catch let error as VarlinkRemoteError {
            return error.name
        } catch {
            return "\(error)"
        }
    }

    private func start(_ client: VarlinkClient) async throws -> JSONValue {
        try await client.call(prefix + "Start")["client_id"]!
    }

    @Test func wrongValueIsACertificationError() async throws {
        try await withServer { client in
            let id = try await start(client)
            _ = try await client.call(prefix + "Test01", parameters: ["client_id": id])
            let name = await errorName {
                _ = try await client.call(prefix + "Test02", parameters: ["client_id": id, "bool": false])
            }
            #expect(name == prefix + "CertificationError")
            // The id is retired after a failure.
            let again = await errorName {
                _ = try await client.call(prefix + "Test02", parameters: ["client_id": id, "bool": true])
            }
            #expect(again == prefix + "ClientIdError")
        }
    }

    @Test func callsOutOfOrderAreRejected() async throws {
        try await withServer { client in
            let id = try await start(client)
            let name = await errorName {
                _ = try await client.call(prefix + "Test02", parameters: ["client_id": id, "bool": true])
            }
            #expect(name == prefix + "CertificationError")
        }
    }

    @Test func unknownClientIDAndMissingParameters() async throws {
        try await withServer { client in
            let unknown = await errorName {
                _ = try await client.call(prefix + "Test01", parameters: ["client_id": "nope"])
            }
            #expect(unknown == prefix + "ClientIdError")
            let missing = await errorName { _ = try await client.call(prefix + "Test01", parameters: [:]) }
            #expect(missing == "org.varlink.service.InvalidParameter")
            let method = await errorName { _ = try await client.call(prefix + "Test99", parameters: [:]) }
            #expect(method == "org.varlink.service.MethodNotFound")
        }
    }

    @Test func extraParametersAreRejected() async throws {
        try await withServer { client in
            let id = try await start(client)
            let name = await errorName {
                _ = try await client.call(prefix + "Test01", parameters: ["client_id": id, "x": 1])
            }
            #expect(name == prefix + "CertificationError")
        }
    }

    @Test func test10WithoutMoreIsRejected() async throws {
        try await withServer { client in
            var previous = try await client.call(prefix + "Start")
            let id = previous["client_id"]!
            let inputs: [(String, [String])] = [
                ("Test01", []), ("Test02", ["bool"]), ("Test03", ["int"]), ("Test04", ["float"]),
                ("Test05", ["string"]), ("Test06", ["bool", "int", "float", "string"]), ("Test07", ["struct"]),
                ("Test08", ["map"]), ("Test09", ["set"]),
            ]
            for (method, keys) in inputs {
                var parameters: JSONObject = ["client_id": id]
                for key in keys { parameters[key] = previous[key] }
                previous = try await client.call(prefix + method, parameters: parameters)
            }
            let name = await errorName {
                _ = try await client.call(
                    prefix + "Test10",
                    parameters: ["client_id": id, "mytype": previous["mytype"]!]
                )
            }
            #expect(name == prefix + "CertificationError")
        }
    }

    @Test func interfaceDescriptionIsServed() async throws {
        try await withServer { client in
            let reply = try await client.call(
                "org.varlink.service.GetInterfaceDescription",
                parameters: ["interface": "org.varlink.certification"]
            )
            let description = reply["description"]?.stringValue ?? ""
            #expect(description.contains("interface org.varlink.certification"))
            #expect(description.contains("method Test10(client_id: string, mytype: MyType) -> (string: string)"))
            let info = try await client.call("org.varlink.service.GetInfo")
            #expect(info["interfaces"]?.arrayValue?.contains("org.varlink.certification") == true)
        }
    }
}
