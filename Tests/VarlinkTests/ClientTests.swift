import Foundation
import SystemCalls
import Testing
import Varlink
import VarlinkJSON

@Suite("Client: addresses, errors, timeouts, exec:")
struct ClientTests {
    @Test("connection errors are distinct from remote errors")
    func connectionErrors() async throws {
        await #expect(throws: VarlinkConnectionError.self) {
            _ = try await VarlinkClient.connect(to: "unix:/nonexistent/berth-\(UUID().uuidString).sock")
        }
        await #expect(throws: VarlinkConnectionError.self) {
            _ = try await VarlinkClient.connect(to: "tcp:localhost:1")
        }
        do {
            _ = try await VarlinkClient.connect(to: "unix:@berth-nobody-listens-\(UUID().uuidString)")
            Issue.record("connect should fail")
        } catch {
            guard case .connectFailed(_, let cause) = error else { Issue.record("unexpected \(error)"); return }
            #expect(cause.errno == ECONNREFUSED)
        }
    }

    @Test("a call that gets no reply in time throws timedOut and closes the connection")
    func timeout() async throws {
        let server = try TestServer()
        let client = try await server.client(timeout: .milliseconds(100))
        do {
            _ = try await client.call("org.berth.test.Hang")
            Issue.record("expected a timeout")
        } catch let error as VarlinkConnectionError {
            guard case .timedOut = error else { Issue.record("unexpected \(error)"); return }
        }
        await #expect(throws: VarlinkConnectionError.self) {
            _ = try await client.call("org.berth.test.Echo", parameters: [:])
        }
        client.close()
        #expect(await server.eventually { $0.connections == 0 && $0.callsInFlight == 0 })
        try await server.stop()
    }

    @Test("on CurrentThreadExecutor: calls, streams, errors and timeouts stay on the caller's own thread")
    func onCurrentThreadExecutor() async throws {
        let server = try TestServer()
        let address = server.address
        let outcome = CurrentThreadExecutor.run { () -> String in
            do {
                let client = try await VarlinkClient.connect(to: address, timeout: .milliseconds(300))
                defer { client.close() }
                let thread = Posix.currentThreadID
                guard try await client.call("org.berth.test.Echo", parameters: ["value": 7])["value"] == 7 else {
                    return "echo"
                }
                var count = 0
                for try await _ in client.stream("org.berth.test.Count", parameters: ["count": 5]) { count += 1 }
                guard count == 6 else { return "stream gave \(count)" }
                do {
                    _ = try await client.call("org.berth.test.NotImplemented")
                    return "no error"
                } catch let error as VarlinkRemoteError where error.name == "org.varlink.service.MethodNotImplemented" {
                }
                do {
                    _ = try await client.call("org.berth.test.Hang")
                    return "no timeout"
                } catch VarlinkConnectionError.timedOut {}
                return Posix.currentThreadID == thread ? "ok" : "moved threads"
            } catch {
                return "\(error)"
            }
        }
        #expect(outcome == "ok")
        try await server.stop()
    }

    @Test("on the cooperative pool, waiting calls block no thread: 24 slow calls at once take one call's time")
    func waitsOnTheIOLoop() async throws {
        let server = try TestServer()
        var clients: [VarlinkClient] = []
        for _ in 0..<24 { clients.append(try await server.client(timeout: .seconds(10))) }
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for client in clients {
                group.addTask { try await client.call("org.berth.test.Slow", parameters: ["ms": 300])["done"] == true }
            }
            for try await done in group { #expect(done) }
        }
        // Blocking the pool's few threads (one per core) would serialize the calls: 24 × 300 ms / cores.
        #expect(ContinuousClock.now - start < .milliseconds(1500))
        for client in clients { client.close() }
        try await server.stop()
    }

    @Test("the server going away mid-call is a connection error")
    func serverCloses() async throws {
        let name = TestServer.uniqueName()
        let listener = try Posix.unixStreamSocket(nonBlocking: false)
        try Posix.bindUnix(listener, name: name, abstract: true)
        try Posix.listen(listener, backlog: 4)
        let client = try await VarlinkClient.connect(to: .abstract(name))
        let accepted = try await offPool { () -> Int32 in
            guard case .done(let fd) = try Posix.accept(listener) else { throw TestFailure("no connection") }
            return fd
        }
        let call = Task { try await client.call("org.berth.test.Echo") }
        try await Task.sleep(for: .milliseconds(20))
        Posix.close(accepted)
        Posix.close(listener)
        await #expect(throws: VarlinkConnectionError.self) { _ = try await call.value }
    }

    @Test("concurrent calls on one client are serialized and each gets its own reply")
    func concurrentCalls() async throws {
        let server = try TestServer()
        let client = try await server.client()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<50 {
                group.addTask {
                    let reply = try await client.call(
                        "org.berth.test.Echo",
                        parameters: ["value": ["i": .int(Int64(index))]]
                    )
                    #expect(reply["value"] == ["i": .int(Int64(index))])
                }
            }
            try await group.waitForAll()
        }
        client.close()
        try await server.stop()
    }

    @Test("the client omits parameters only when told to, and never emits false flags")
    func canonicalCalls() async throws {
        let name = TestServer.uniqueName()
        let listener = try Posix.unixStreamSocket(nonBlocking: false)
        try Posix.bindUnix(listener, name: name, abstract: true)
        try Posix.listen(listener, backlog: 4)
        defer { Posix.close(listener) }
        let client = try await VarlinkClient.connect(to: .abstract(name))
        let accepted = try await offPool { () -> Int32 in
            guard try Posix.poll(listener, for: .readable, timeoutMilliseconds: 5000) else {
                throw TestFailure("no connection")
            }
            guard case .done(let fd) = try Posix.accept(listener) else { throw TestFailure("no connection") }
            return fd
        }
        let peer = RawPeer(descriptor: accepted)
        let first = Task { try await client.call("a.b.C") }
        #expect(try await peer.receive() == #"{"method":"a.b.C"}"#)
        try await peer.send("{}\0")
        #expect(try await first.value.isEmpty)
        let second = Task { try await client.call("a.b.C", parameters: [:]) }
        #expect(try await peer.receive() == #"{"method":"a.b.C","parameters":{}}"#)
        // Replies may carry unknown keys, explicit nulls and continues:false.
        try await peer.send(#"{"parameters":{"x":null},"continues":false,"org.example":1}"# + "\0")
        #expect(try await second.value == ["x": nil])
        let stream = Task { () -> [JSONObject] in
            var all: [JSONObject] = []
            for try await reply in client.stream("a.b.S", parameters: ["n": 1]) { all.append(reply) }
            return all
        }
        #expect(try await peer.receive() == #"{"method":"a.b.S","parameters":{"n":1},"more":true}"#)
        try await peer.send(
            #"{"parameters":{"i":0},"continues":true}"# + "\0" + #"{"parameters":{"i":1},"continues":false}"# + "\0"
        )
        #expect(try await stream.value == [["i": 0], ["i": 1]])
        let third = Task { try await client.call("a.b.C") }
        _ = try await peer.receive()
        try await peer.send("not json\0")
        await #expect(throws: VarlinkConnectionError.self) { _ = try await third.value }
        client.close()
    }

    @Test("a streamed error ends the stream with that error")
    func streamError() async throws {
        let server = try TestServer()
        let client = try await server.client()
        await #expect(throws: VarlinkRemoteError(name: "org.varlink.service.PermissionDenied")) {
            for try await _ in client.stream("org.berth.test.Denied") {}
        }
        client.close()
        try await server.stop()
    }

    @Test("exec: starts the program socket-activated on fd 3 with LISTEN_* set, and reaps it")
    func execAddress() async throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") else {
            Issue.record("python3 is needed as the exec: peer")
            return
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("berth-exec-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let script = directory.appendingPathComponent("server.py")
        try """
        #!/usr/bin/python3
        import os, socket, json
        env = {k: os.environ.get(k) for k in ("LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES")}
        s = socket.socket(fileno=3)
        data = b""
        while True:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
            while b"\\0" in data:
                msg, data = data.split(b"\\0", 1)
                call = json.loads(msg)
                reply = {"parameters": {"env": env, "pid": os.getpid(), "method": call["method"]}}
                s.sendall(json.dumps(reply).encode() + b"\\0")
        """.write(to: script, atomically: true, encoding: .utf8)
        chmod(script.path, 0o755)
        let client = try await VarlinkClient.connect(to: "exec:\(script.path)")
        let reply = try await client.call("org.example.Hello")
        let pid = try #require(client.childProcessID)
        #expect(reply["method"] == "org.example.Hello")
        #expect(reply["pid"] == .int(Int64(pid)))
        #expect(reply["env"] == ["LISTEN_FDS": "1", "LISTEN_PID": .string(String(pid)), "LISTEN_FDNAMES": "varlink"])
        client.close()
        // The child sees EOF and exits; it is reaped in the background (kill(pid, 0) then fails).
        var gone = false
        for _ in 0..<250 {
            if kill(pid, 0) != 0 { gone = true; break }
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(gone)
    }

    @Test("exec: with a program that does not exist fails clearly")
    func execMissing() async throws {
        let client = try await VarlinkClient.connect(to: "exec:/nonexistent/program-\(UUID().uuidString)")
        await #expect(throws: VarlinkConnectionError.self) { _ = try await client.call("a.b.C") }
        client.close()
    }
}
