import Foundation
import SystemCalls
import Testing
import Varlink
import VarlinkJSON

#if canImport(Glibc)
import Glibc
#endif

@Suite("Peer credentials (SO_PEERCRED)")
struct PeerCredentialTests {
    @Test("handlers see the caller's uid, gid and pid (same process)")
    func sameProcess() async throws {
        let server = try TestServer()
        let client = try await server.client()
        let reply = try await client.call("org.berth.test.WhoAmI")
        #expect(reply["uid"] == .int(Int64(getuid())))
        #expect(reply["gid"] == .int(Int64(getgid())))
        #expect(reply["pid"] == .int(Int64(getpid())))
        client.close()
        try await server.stop()
    }

    @Test("a client in another process under another uid is reported as such")
    func otherProcess() async throws {
        guard getuid() == 0, access("/usr/bin/setpriv", X_OK) == 0, access("/usr/bin/python3", X_OK) == 0 else {
            Issue.record("needs root, setpriv and python3 to run a client as another user")
            return
        }
        let server = try TestServer()
        let script = """
            import socket, sys, os
            s = socket.socket(socket.AF_UNIX)
            s.connect("\\0" + sys.argv[1])
            s.sendall(b'{"method":"org.berth.test.WhoAmI"}\\0')
            data = b""
            while not data.endswith(b"\\0"):
                chunk = s.recv(4096)
                if not chunk: break
                data += chunk
            sys.stdout.write(data.rstrip(b"\\0").decode() + "|" + str(os.getpid()))
            """
        let output = try await runCapturing(
            "/usr/bin/setpriv",
            ["--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/python3", "-c", script, server.name]
        )
        let parts = output.split(separator: "|")
        try #require(parts.count == 2)
        guard case .object(let reply) = try JSONParser.parse(String(parts[0])) else { throw TestFailure("no object") }
        let parameters = try #require(reply["parameters"]?.objectValue)
        #expect(parameters["uid"] == 65534)
        #expect(parameters["gid"] == 65534)
        #expect(parameters["pid"] == .int(Int64(parts[1]) ?? -1))
        try await server.stop()
    }
}

/// Runs a program and returns its standard output.
func runCapturing(_ program: String, _ arguments: [String]) async throws -> String {
    try await offPool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
