import Testing
import Varlink
import VarlinkJSON

@Suite("Where handlers run")
struct HandlerContextTests {
    @Test("task handlers run on the I/O loop's thread, before and after suspending, never on the pool")
    func tasksRunOnTheLoop() async throws {
        let server = try TestServer()
        let probe = try await server.client()
        let loopThread = try await probe.call("org.berth.test.LoopThread")["thread"]
        var clients: [VarlinkClient] = []
        for _ in 0..<16 { clients.append(try await server.client()) }
        let seen = try await withThrowingTaskGroup(of: [JSONValue?].self) { group in
            for client in clients {
                group.addTask {
                    let reply = try await client.call("org.berth.test.Threads")
                    return [reply["before"], reply["after"]]
                }
            }
            return try await group.reduce(into: [JSONValue?]()) { $0 += $1 }
        }
        #expect(loopThread != nil)
        #expect(seen.count == 32)
        #expect(seen.allSatisfy { $0 == loopThread })
        probe.close()
        for client in clients { client.close() }
        try await server.stop()
    }
}
