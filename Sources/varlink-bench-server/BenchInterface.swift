import Varlink
import VarlinkJSON

/// `org.example.bench` as the shared harness defines it.
struct BenchInterface: VarlinkInterface {
    var name: String { "org.example.bench" }
    var interfaceDescription: String { Self.idl }

    /// Ping is answered on the I/O thread: no hop to the cooperative pool.
    func handleImmediately(_ call: VarlinkCall, reply: VarlinkReply) throws -> Bool {
        switch call.methodName {
        case "Ping":
            // Iterating the members, not `keys`, which would build an array on every call.
            for (key, _) in call.parameters where key != "ping" {
                throw VarlinkServiceError.invalidParameter(parameter: key)
            }
            guard case .string(let ping)? = call.parameters["ping"] else {
                throw VarlinkServiceError.invalidParameter(parameter: "ping")
            }
            reply.reply(["pong": .string(ping)])
            return true
        case "Stream":
            // Produced on the I/O thread, paced by the client: no task, no thread hop, no locks.
            let count = try Self.count(of: call)
            guard call.more else { throw VarlinkServiceError.expectedMore }
            guard count > 0 else {
                reply.reply()
                return true
            }
            var index: Int64 = 0
            reply.produce {
                for _ in 0..<64 {
                    if index == count - 1 {
                        reply.reply(["index": .int(index)])
                        return false
                    }
                    reply.notify(["index": .int(index)])
                    index += 1
                }
                return true
            }
            return true
        default:
            throw VarlinkServiceError.methodNotFound(method: call.method)
        }
    }

    func handle(_ call: VarlinkCall, reply: VarlinkReply) async throws {
        let count = try Self.count(of: call)
        guard call.more else { throw VarlinkServiceError.expectedMore }
        guard count > 0 else { return reply.reply() }
        for index in 0..<(count - 1) {
            reply.notify(["index": .int(index)])
            if index & 255 == 255 {
                await reply.drain()
                if !reply.isConnected { return }
            }
        }
        reply.reply(["index": .int(count - 1)])
    }

    private static func count(of call: VarlinkCall) throws -> Int64 {
        for (key, _) in call.parameters where key != "count" {
            throw VarlinkServiceError.invalidParameter(parameter: key)
        }
        guard let count = call.parameters["count"]?.int64Value, count >= 0 else {
            throw VarlinkServiceError.invalidParameter(parameter: "count")
        }
        return count
    }

    static let idl = """
        # Benchmark interface shared by every server under test.
        interface org.example.bench

        # Echo: pong must equal ping.
        method Ping(ping: string) -> (pong: string)

        # Called with more:true, replies `count` times (index 0..count-1),
        # continues:true on all but the last reply.
        method Stream(count: int) -> (index: int)

        """
}
