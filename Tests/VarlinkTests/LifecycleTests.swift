import SystemCalls
import Testing
import Varlink
import VarlinkJSON

#if canImport(Glibc)
import Glibc
#endif

@Suite("Shutdown, exit on idle, adopting descriptors, binding")
struct LifecycleTests {
    @Test("graceful shutdown finishes the call in flight and flushes its reply")
    func gracefulShutdown() async throws {
        let server = try TestServer()
        let peer = try await server.raw()
        try await peer.send(#"{"method":"org.berth.test.Slow","parameters":{"ms":150}}"# + "\0")
        #expect(await server.eventually { $0.callsInFlight == 1 })
        server.server.shutdown()
        #expect(try await peer.receive() == #"{"parameters":{"done":true}}"#)
        #expect(try await peer.receive() == nil)
        #expect(try await server.runTask.value == .shutdown)
        // Not accepting any more: the abstract name is gone.
        await #expect(throws: VarlinkConnectionError.self) { _ = try await server.client() }
    }

    @Test("exit on idle returns .idle without accepting, and waits while a client is pending")
    func exitWhenIdle() async throws {
        let server = try TestServer(configuration: .init(exitWhenIdle: .milliseconds(100)))
        let client = try await server.client()
        #expect(try await client.call("org.berth.test.Echo", parameters: [:]).isEmpty)
        try await Task.sleep(for: .milliseconds(250))
        #expect(server.server.activity.connections == 1)  // a connection keeps it busy
        client.close()
        #expect(try await server.runTask.value == .idle)
    }

    @Test("a connection waiting in the backlog at the idle deadline is served, not dropped")
    func pendingAtIdle() async throws {
        let server = VarlinkServer(configuration: .init(exitWhenIdle: .milliseconds(50)))
        server.register(TestInterface())
        let (listener, name) = try boundListener()
        try server.adopt(listeningDescriptor: FileDescriptor(rawValue: listener))
        server.stopAccepting()
        let runTask = Task { try await server.run() }
        let peer = try await RawPeer(abstract: name)
        try await peer.send(#"{"method":"org.berth.test.Echo"}"# + "\0")
        try await Task.sleep(for: .milliseconds(150))
        #expect(server.hasPendingConnection)
        server.resumeAccepting()
        #expect(try await peer.receive() == "{}")
        peer.close()
        #expect(try await runTask.value == .idle)
    }

    /// A server whose only connection is one end of a socketpair, and a client on the other end.
    private func adoptedPair() throws -> (VarlinkServer, Task<VarlinkServer.StopReason, any Error>, VarlinkClient) {
        let (mine, theirs) = try Posix.unixStreamSocketPair(nonBlocking: false)
        let server = VarlinkServer()
        server.register(TestInterface())
        try server.adopt(connectedDescriptor: FileDescriptor(rawValue: theirs))
        let runTask = Task { try await server.run() }
        return (server, runTask, try VarlinkClient(adoptingDescriptor: FileDescriptor(rawValue: mine)))
    }

    @Test("an adopted connected socket (socketpair) is served; its closing ends run() with .idle")
    func adoptConnected() async throws {
        let (_, runTask, client) = try adoptedPair()
        #expect(try await client.call("org.berth.test.Echo", parameters: ["value": ["p": 1]])["value"] == ["p": 1])
        // With no listener and its only connection gone nothing can arrive: run() returns on its own.
        client.close()
        #expect(try await runTask.value == .idle)
    }

    @Test("shutdown() while an adopted connection is open ends run() with .shutdown")
    func adoptConnectedShutdown() async throws {
        let (server, runTask, client) = try adoptedPair()
        #expect(try await client.call("org.berth.test.Echo", parameters: [:]).isEmpty)
        server.shutdown()
        #expect(try await runTask.value == .shutdown)
        client.close()
    }

    @Test("unix:PATH binds, replaces a stale socket, applies mode=, refuses to remove other files")
    func bindPath() async throws {
        let directory = "/tmp/berth-varlink-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        mkdir(directory, 0o700)
        defer {
            unlink(directory + "/s.sock")
            unlink(directory + "/file")
            rmdir(directory)
        }
        let path = directory + "/s.sock"
        for round in 0..<2 {
            // The second round finds the first round's socket file and must replace it.
            let server = VarlinkServer()
            try server.listen(on: VarlinkAddress(parsing: "unix:\(path);mode=0600"))
            var status = stat()
            #expect(stat(path, &status) == 0 && status.st_mode & 0o777 == 0o600, "round \(round)")
            let runTask = Task { try await server.run() }
            let client = try await VarlinkClient.connect(to: "unix:\(path)")
            #expect(try await client.call("org.varlink.service.GetInfo")["interfaces"] == ["org.varlink.service"])
            client.close()
            server.shutdown()
            _ = try await runTask.value
        }
        let file = directory + "/file"
        close(open(file, O_CREAT | O_WRONLY, 0o600))
        #expect(throws: SystemCallError.self) { try VarlinkServer().listen(on: .unixPath(file)) }
        #expect(access(file, F_OK) == 0)
    }

    @Test("several interfaces on one server")
    func severalInterfaces() async throws {
        struct Second: VarlinkInterface {
            var name: String { "org.berth.second" }
            var interfaceDescription: String { "interface org.berth.second\nmethod Hello() -> (greeting: string)\n" }
            func handle(_ call: VarlinkCall, reply: VarlinkReply) async throws { reply.reply(["greeting": "hi"]) }
        }
        let server = try TestServer(interfaces: [TestInterface(), Second()])
        let client = try await server.client()
        #expect(try await client.call("org.berth.second.Hello")["greeting"] == "hi")
        #expect(
            try await client.call("org.varlink.service.GetInfo")["interfaces"] == [
                "org.varlink.service", "org.berth.test", "org.berth.second",
            ]
        )
        client.close()
        try await server.stop()
    }

    private func boundListener() throws -> (Int32, String) {
        let name = TestServer.uniqueName()
        let fd = try Posix.unixStreamSocket(nonBlocking: true)
        try Posix.bindUnix(fd, name: name, abstract: true)
        try Posix.listen(fd, backlog: 16)
        return (fd, name)
    }
}
