import Synchronization
import SystemCalls
import Testing
import Varlink
import VarlinkJSON

#if canImport(Glibc)
import Glibc
#endif

/// `org.berth.fanout`: streamed calls that stay open to receive a fan-out, and probes run on the I/O loop.
final class FanOutInterface: VarlinkInterface, Sendable {
    var name: String { "org.berth.fanout" }
    var interfaceDescription: String {
        """
        interface org.berth.fanout
        method Subscribe() -> (subscribed: bool)
        method Hold() -> ()
        method CountReadable() -> (readable: int)
        """
    }

    /// The open `Subscribe` calls, in arrival order.
    let subscribers = Mutex<[VarlinkReply]>([])
    /// The test's own ends of the subscribing connections, for `CountReadable`.
    let watcherDescriptors = Mutex<[Int32]>([])
    let isHolding = Atomic<Bool>(false)
    let release = Atomic<Bool>(false)

    func handleImmediately(_ call: VarlinkCall, reply: VarlinkReply) throws -> Bool {
        switch call.methodName {
        case "Hold":
            // Blocks the I/O loop on purpose (until the test releases it, at most 5 s), so that work
            // queued meanwhile is all pending when the loop resumes.
            isHolding.store(true, ordering: .sequentiallyConsistent)
            let deadline = Posix.monotonicNanoseconds() + 5_000_000_000
            while !release.load(ordering: .sequentiallyConsistent) && Posix.monotonicNanoseconds() < deadline {
                usleep(1000)
            }
            reply.reply([:])
        case "CountReadable":
            let descriptors = watcherDescriptors.withLock { $0 }
            let readable = descriptors.filter { (try? Posix.poll($0, for: .readable, timeoutMilliseconds: 0)) == true }
            reply.reply(["readable": .int(Int64(readable.count))])
        default:
            return false
        }
        return true
    }

    func handle(_ call: VarlinkCall, reply: VarlinkReply) async throws {
        guard call.methodName == "Subscribe" else { throw VarlinkServiceError.methodNotFound(method: call.method) }
        guard call.more else { throw VarlinkServiceError.expectedMore }
        subscribers.withLock { $0.append(reply) }
        reply.notify(["subscribed": true])
        await reply.waitUntilDisconnected()
    }
}

@Suite("Fan-out: one streamed reply to many calls (VarlinkReply.notify(_:encoded:))", .serialized)
struct FanOutTests {
    static let watcherCount = 300

    /// Connects `watcherCount` subscribers and reads their first reply.
    private func subscribe(_ server: TestServer, _ interface: FanOutInterface) async throws -> [RawPeer] {
        var peers: [RawPeer] = []
        for _ in 0..<Self.watcherCount {
            let peer = try await server.raw()
            try await peer.send(#"{"method":"org.berth.fanout.Subscribe","more":true}"# + "\0")
            #expect(try await peer.receive() == #"{"parameters":{"subscribed":true},"continues":true}"#)
            peers.append(peer)
        }
        interface.watcherDescriptors.withLock { $0 = peers.map(\.fd) }
        #expect(interface.subscribers.withLock { $0.count } == Self.watcherCount)
        return peers
    }

    @Test("every call gets each fan-out once, in order with its own later replies")
    func everyWatcherInOrder() async throws {
        let interface = FanOutInterface()
        let server = try TestServer(interfaces: [interface])
        let peers = try await subscribe(server, interface)
        let replies = interface.subscribers.withLock { $0 }
        VarlinkReply.notify(replies, encoded: VarlinkEncodedReply(["event": "first"]))
        VarlinkReply.notify(replies, encoded: VarlinkEncodedReply(["event": "second"]))
        // A reply of the call's own moves it out of the fan-out lane; it must still come last.
        for reply in replies { reply.notify(["event": "own"]) }
        for (index, peer) in peers.enumerated() {
            var received: [String] = []
            for _ in 0..<3 { received.append(try await peer.receive() ?? "closed") }
            #expect(
                received == [
                    #"{"parameters":{"event":"first"},"continues":true}"#,
                    #"{"parameters":{"event":"second"},"continues":true}"#,
                    #"{"parameters":{"event":"own"},"continues":true}"#,
                ],
                "watcher \(index)"
            )
        }
        for peer in peers { peer.close() }
        try await server.stop()
    }

    @Test("a call that arrives during a fan-out is answered before the fan-out has reached everyone")
    func callOvertakesFanOut() async throws {
        let interface = FanOutInterface()
        let server = try TestServer(interfaces: [interface])
        let peers = try await subscribe(server, interface)
        let replies = interface.subscribers.withLock { $0 }

        let holder = try await server.raw()
        try await holder.send(#"{"method":"org.berth.fanout.Hold"}"# + "\0")
        for _ in 0..<500 where !interface.isHolding.load(ordering: .sequentiallyConsistent) {
            try await Task.sleep(for: .milliseconds(10))
        }
        let isHolding = interface.isHolding.load(ordering: .sequentiallyConsistent)
        #expect(isHolding, "the loop never ran Hold")
        // Both pending when the loop resumes: the whole fan-out, and a call on another connection.
        VarlinkReply.notify(replies, encoded: VarlinkEncodedReply(["event": "changed"]))
        let prober = try await server.raw()
        try await prober.send(#"{"method":"org.berth.fanout.CountReadable"}"# + "\0")
        interface.release.store(true, ordering: .sequentiallyConsistent)
        let held = try await holder.receiveObject()
        #expect(held["error"] == nil, "Hold failed: \(held)")

        let probe = try await prober.receiveObject()
        let readable = probe["parameters"]?.objectValue?["readable"]?.int64Value ?? -1
        // The probe ran on the loop between two slices of the fan-out: some watchers had the event,
        // not all of them (before slicing, all 300 sendmsg calls came first).
        #expect(
            readable >= 0 && readable < Int64(Self.watcherCount),
            "watchers with the event when the probe ran: \(readable)"
        )
        print("fan-out: \(readable) of \(Self.watcherCount) watchers had the event when the probe was answered")
        for (index, peer) in peers.enumerated() {
            let event = try await peer.receive()
            #expect(event == #"{"parameters":{"event":"changed"},"continues":true}"#, "watcher \(index)")
        }
        for peer in peers { peer.close() }
        try await server.stop()
    }
}
