import Synchronization
public import SystemCalls
public import VarlinkJSON

/// A reply with the descriptors that came with it (SCM_RIGHTS); the caller owns them.
public struct VarlinkReplyMessage: Sendable {
    public var parameters: JSONObject
    public var fileDescriptors: [FileDescriptor]
    /// `true` for streamed replies that are not the last one.
    public var continues: Bool
}

/// A Varlink client connection.
///
/// ```swift
/// let client = try await VarlinkClient.connect(to: "unix:/run/berth/io.berth.Portable")
/// let info = try await client.call("org.varlink.service.GetInfo")
/// for try await reply in client.stream("org.example.bench.Stream", parameters: ["count": 3]) { … }
/// ```
/// Error replies are thrown as `VarlinkRemoteError` (use `.serviceError` for the standard ones);
/// failures of the connection as `VarlinkConnectionError`, after which the client is unusable.
/// Calls on one client run one at a time, in order. `parameters: nil` omits the member (for
/// methods without input); pass an object, even an empty one, for methods with input fields.
public final class VarlinkClient: Sendable {
    let transport: ClientTransport
    let lock = AsyncLock()
    /// Timeout per call unless a call gives its own; `nil` waits forever. sd-varlink's default is 45 s.
    public let defaultTimeout: Duration?
    /// For `exec:` addresses, the child's pid (reaped by `close()`).
    public let childProcessID: Int32?
    private let closed = Lock<Bool>(false)

    init(fd: Int32, timeout: Duration?, child: Int32?, maximumMessageSize: Int) {
        transport = ClientTransport(fd: fd, maximumMessageSize: maximumMessageSize)
        defaultTimeout = timeout
        childProcessID = child
    }

    /// Wraps a connected socket (e.g. one end of a socketpair); the client owns it from now on.
    public convenience init(
        adoptingDescriptor fd: FileDescriptor,
        timeout: Duration? = .seconds(45)
    ) throws(SystemCallError) {
        try Posix.setNonBlocking(fd.rawValue, true)
        self.init(fd: fd.rawValue, timeout: timeout, child: nil, maximumMessageSize: 16 << 20)
    }

    deinit { close() }

    /// Closes the connection (an `exec:` child is then waited for, and sent SIGTERM if it lingers).
    public func close() {
        let wasClosed = closed.withLock { value -> Bool in
            defer { value = true }
            return value
        }
        guard !wasClosed else { return }
        transport.breakConnection()
        ClientIOLoop.shared.forget(transport.fd)
        Posix.close(transport.fd)
        if let childProcessID { Self.reap(childProcessID) }
    }

    // MARK: - Calls

    /// Calls a method and returns the reply's parameters.
    public func call(
        _ method: String,
        parameters: JSONObject? = nil,
        fileDescriptors: [FileDescriptor] = [],
        timeout: Duration? = nil
    ) async throws -> JSONObject {
        try await callReturningDescriptors(
            method,
            parameters: parameters,
            fileDescriptors: fileDescriptors,
            timeout: timeout
        ).parameters
    }

    /// Calls a method and returns the reply with any descriptors it carried.
    public func callReturningDescriptors(
        _ method: String,
        parameters: JSONObject? = nil,
        fileDescriptors: [FileDescriptor] = [],
        timeout: Duration? = nil
    ) async throws -> VarlinkReplyMessage {
        var bytes: [UInt8] = []
        MessageEncoder.call(method: method, parameters: parameters, into: &bytes)
        let deadline = self.deadline(timeout)
        let transport = self.transport
        let request = bytes
        let fileDescriptors = fileDescriptors.map(\.rawValue)
        await lock.lock()
        defer { lock.unlock() }
        if BlockingThreads.mayBlockHere {
            // Straight calls, no Result of a tuple: instantiating that type (and scanning every
            // conformance for its Error requirement) cost a command-line call 0.15 ms.
            try transport.send(request, fileDescriptors: fileDescriptors, deadline: deadline)
            let (reply, fds) = try transport.receive(deadline: deadline)
            return try Self.check(reply, fds)
        }
        return try await exchangeWaitingOnLoop(request, fileDescriptors: fileDescriptors, deadline: deadline)
    }

    /// The half of `callReturningDescriptors` for callers that must not block, kept out of line so that
    /// the inline path never touches what only this one needs (the optimizer hoists such accesses).
    @inline(never)
    private func exchangeWaitingOnLoop(
        _ request: [UInt8],
        fileDescriptors: [Int32],
        deadline: UInt64?
    ) async throws -> VarlinkReplyMessage {
        try await transport.send(request, fileDescriptors: fileDescriptors, deadline: deadline, on: .shared)
        let (reply, fds) = try await transport.receive(deadline: deadline, on: .shared)
        return try Self.check(reply, fds)
    }

    /// Sends a whole message: blocking where that is fine (`BlockingThreads`), else waiting on the
    /// clients' I/O loop.
    func send(_ request: [UInt8], fileDescriptors: [Int32], deadline: UInt64?) async throws(VarlinkConnectionError) {
        if BlockingThreads.mayBlockHere {
            try transport.send(request, fileDescriptors: fileDescriptors, deadline: deadline)
        } else {
            try await transport.send(request, fileDescriptors: fileDescriptors, deadline: deadline, on: .shared)
        }
    }

    /// The next reply, like `send`.
    func receive(deadline: UInt64?) async throws(VarlinkConnectionError) -> (DecodedReply, [Int32]) {
        if BlockingThreads.mayBlockHere { return try transport.receive(deadline: deadline) }
        return try await transport.receive(deadline: deadline, on: .shared)
    }

    /// Calls a method with `oneway`: no reply is read.
    public func oneway(
        _ method: String,
        parameters: JSONObject? = nil,
        fileDescriptors: [FileDescriptor] = []
    ) async throws {
        var bytes: [UInt8] = []
        MessageEncoder.call(method: method, parameters: parameters, oneway: true, into: &bytes)
        let deadline = self.deadline(nil)
        let request = bytes
        await lock.lock()
        defer { lock.unlock() }
        try await send(request, fileDescriptors: fileDescriptors.map(\.rawValue), deadline: deadline)
    }

    /// Calls a method with `upgrade`; on success the connection leaves Varlink and is handed over
    /// (this client becomes unusable). Bytes the service sent after its reply come along.
    public func upgrade(
        _ method: String,
        parameters: JSONObject? = nil,
        timeout: Duration? = nil
    ) async throws -> (reply: JSONObject, connection: VarlinkUpgradedConnection) {
        var bytes: [UInt8] = []
        MessageEncoder.call(method: method, parameters: parameters, upgrade: true, into: &bytes)
        let deadline = self.deadline(timeout)
        let transport = self.transport
        let request = bytes
        await lock.lock()
        defer { lock.unlock() }
        try await send(request, fileDescriptors: [], deadline: deadline)
        let (reply, fds) = try await receive(deadline: deadline)
        let message = try Self.check(reply, fds)
        for fd in message.fileDescriptors { fd.close() }
        let leftover = transport.takeBufferedBytes()
        // Hand the socket over as is: shutdown() would end it for the new owner too.
        closed.withLock { $0 = true }
        transport.detach()
        return (
            message.parameters,
            VarlinkUpgradedConnection(fileDescriptor: FileDescriptor(rawValue: transport.fd), bufferedBytes: leftover)
        )
    }

    /// Calls a method with `more` and returns its replies as they arrive; the sequence ends after the
    /// reply without `continues`, and throws a received error. Leaving the loop early closes the
    /// connection (the only way Varlink has to stop a stream).
    public func stream(
        _ method: String,
        parameters: JSONObject? = nil,
        fileDescriptors: [FileDescriptor] = [],
        timeout: Duration? = nil
    ) -> VarlinkReplyStream {
        var bytes: [UInt8] = []
        MessageEncoder.call(method: method, parameters: parameters, more: true, into: &bytes)
        return VarlinkReplyStream(
            client: self,
            request: bytes,
            fileDescriptors: fileDescriptors.map(\.rawValue),
            timeout: timeout ?? defaultTimeout
        )
    }

    // MARK: - Helpers

    func deadline(_ timeout: Duration?) -> UInt64? {
        guard let timeout = timeout ?? defaultTimeout else { return nil }
        return Posix.monotonicNanoseconds() + timeout.nanoseconds
    }

    static func check(_ reply: DecodedReply, _ fds: [Int32]) throws -> VarlinkReplyMessage {
        if let name = reply.error {
            for fd in fds { Posix.close(fd) }
            throw VarlinkRemoteError(name: name, parameters: reply.parameters)
        }
        return VarlinkReplyMessage(
            parameters: reply.parameters,
            fileDescriptors: fds.map(FileDescriptor.init(rawValue:)),
            continues: reply.continues
        )
    }
}
