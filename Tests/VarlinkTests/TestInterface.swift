import SystemCalls
import Varlink
import VarlinkJSON

#if canImport(Glibc)
import Glibc
#endif

/// `org.berth.test`: one method per behaviour the tests need.
struct TestInterface: VarlinkInterface {
    var name: String { "org.berth.test" }
    var interfaceDescription: String { Self.idl }

    func handleImmediately(_ call: VarlinkCall, reply: VarlinkReply) throws -> Bool {
        switch call.methodName {
        case "Echo":
            reply.reply(call.parameters)
        case "Big":
            let size = Int(call.parameters["size"]?.int64Value ?? 0)
            reply.reply(["data": .string(String(repeating: "x", count: size))])
        case "WhoAmI":
            reply.reply([
                "uid": .int(Int64(call.peer.uid)), "gid": .int(Int64(call.peer.gid)), "pid": .int(Int64(call.peer.pid)),
            ])
        case "NotImplemented":
            throw VarlinkServiceError.methodNotImplemented(method: call.method)
        case "Denied":
            throw VarlinkServiceError.permissionDenied
        case "Typed":
            guard case .string? = call.parameters["name"] else {
                throw VarlinkServiceError.invalidParameter(parameter: "name")
            }
            for key in call.parameters.keys where key != "name" {
                throw VarlinkServiceError.invalidParameter(parameter: key)
            }
            reply.reply()
        case "Custom":
            throw VarlinkRemoteError(name: "org.berth.test.Custom", parameters: ["why": "because"])
        case "SystemFailure":
            throw SystemCallError(call: "open", errno: ENOENT)
        case "Produce":
            let count = call.parameters["count"]?.int64Value ?? 0
            var index: Int64 = 0
            reply.produce {
                if index == count {
                    reply.reply(["index": .int(index)])
                    return false
                }
                reply.notify(["index": .int(index)])
                index += 1
                return true
            }
        case "NoReply":
            // Returns without replying: the server must send {} on its behalf.
            return true
        case "LoopThread":
            reply.reply(["thread": .string("\(Posix.currentThreadID)")])
        case "Threads", "Slow", "Count", "ReadDescriptor", "SendDescriptor", "Upgrade", "Hang", "RequireMore", "Flood":
            return false
        default:
            throw VarlinkServiceError.methodNotFound(method: call.method)
        }
        return true
    }

    func handle(_ call: VarlinkCall, reply: VarlinkReply) async throws {
        switch call.methodName {
        case "Threads":
            // Where a task handler runs, before and after a suspension.
            let before = Posix.currentThreadID
            try await Task.sleep(for: .milliseconds(1))
            reply.reply(["before": .string("\(before)"), "after": .string("\(Posix.currentThreadID)")])
        case "Slow":
            try await Task.sleep(for: .milliseconds(call.parameters["ms"]?.int64Value ?? 100))
            reply.reply(["done": true])
        case "Count":
            let count = call.parameters["count"]?.int64Value ?? 0
            for index in 0..<count {
                reply.notify(["index": .int(index)])
                await reply.drain()
            }
            reply.reply(["index": .int(count)])
        case "RequireMore":
            guard call.more else { throw VarlinkServiceError.expectedMore }
            reply.reply()
        case "Flood":
            // Streams large replies until the client goes away.
            let chunk = JSONValue.string(String(repeating: "y", count: 64 << 10))
            while reply.isConnected {
                reply.notify(["data": chunk])
                await reply.drain()
            }
        case "ReadDescriptor":
            guard let fd = call.fileDescriptors.first else {
                throw VarlinkServiceError.invalidParameter(parameter: "fd")
            }
            var bytes = [UInt8](repeating: 0, count: 256)
            let count = bytes.withUnsafeMutableBytes { Glibc.read(fd.rawValue, $0.baseAddress, $0.count) }
            reply.reply([
                "content": .string(String(decoding: bytes[0..<max(0, count)], as: UTF8.self)),
                "count": .int(Int64(call.fileDescriptors.count)),
            ])
        case "SendDescriptor":
            var pipe: [Int32] = [-1, -1]
            guard Glibc.pipe(&pipe) == 0 else { throw SystemCallError(call: "pipe", errno: errno) }
            let text = Array((call.parameters["text"]?.stringValue ?? "").utf8)
            _ = text.withUnsafeBytes { Glibc.write(pipe[1], $0.baseAddress, $0.count) }
            Glibc.close(pipe[1])
            reply.reply(["fd": 0], fileDescriptors: [FileDescriptor(rawValue: pipe[0])])
        case "Upgrade":
            let upgraded = try await reply.acceptUpgrade(["protocol": "shout"])
            // Echo upper-cased bytes until EOF, starting with what was already buffered.
            try await shout(upgraded)
        case "Hang":
            while reply.isConnected { try await Task.sleep(for: .milliseconds(20)) }
        default:
            throw VarlinkServiceError.methodNotFound(method: call.method)
        }
    }

    private func shout(_ connection: VarlinkUpgradedConnection) async throws {
        let fd = connection.fileDescriptor.rawValue
        defer { Posix.close(fd) }
        func write(_ bytes: [UInt8]) throws {
            let upper = bytes.map { $0 >= 97 && $0 <= 122 ? $0 - 32 : $0 }
            var offset = 0
            while offset < upper.count {
                let result = try upper.withUnsafeBytes {
                    try Posix.write(fd, UnsafeRawBufferPointer(rebasing: $0[offset...]))
                }
                if case .done(let count) = result {
                    offset += count
                } else {
                    _ = try Posix.poll(fd, for: .writable, timeoutMilliseconds: 1000)
                }
            }
        }
        if !connection.bufferedBytes.isEmpty { try write(connection.bufferedBytes) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        for _ in 0..<1000 {
            let result = try buffer.withUnsafeMutableBytes { try Posix.read(fd, into: $0) }
            switch result {
            case .done(0): return
            case .done(let count): try write(Array(buffer[0..<count]))
            case .wouldBlock: try await Task.sleep(for: .milliseconds(5))
            }
        }
    }

    static let idl = """
        interface org.berth.test

        method Echo(value: ?object) -> (value: ?object)
        method Big(size: int) -> (data: string)
        method WhoAmI() -> (uid: int, gid: int, pid: int)
        method NotImplemented() -> ()
        method Denied() -> ()
        method Typed(name: string) -> ()
        method Custom() -> ()
        method SystemFailure() -> ()
        method NoReply() -> ()
        method Slow(ms: int) -> (done: bool)
        method Count(count: int) -> (index: int)
        method Produce(count: int) -> (index: int)
        method RequireMore() -> ()
        method Flood() -> (data: string)
        method ReadDescriptor(fd: int) -> (content: string, count: int)
        method SendDescriptor(text: string) -> (fd: int)
        method Upgrade() -> (protocol: string)
        method Hang() -> ()
        method LoopThread() -> (thread: string)
        method Threads() -> (before: string, after: string)

        error Custom (why: string)

        """
}
