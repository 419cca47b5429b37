import Synchronization
import SystemCalls
public import VarlinkJSON

/// The replies of a `more` call, as an `AsyncSequence` of parameter objects.
///
/// Iterate once. The connection is held for the whole stream; ending the loop before the final reply
/// closes the connection. The timeout applies to the wait for each reply.
public struct VarlinkReplyStream: AsyncSequence, Sendable {
    public typealias Element = JSONObject
    let client: VarlinkClient
    let request: [UInt8]
    let fileDescriptors: [Int32]
    let timeout: Duration?

    public func makeAsyncIterator() -> Iterator {
        Iterator(
            state: StreamState(client: client, request: request, fileDescriptors: fileDescriptors, timeout: timeout)
        )
    }

    public struct Iterator: AsyncIteratorProtocol {
        let state: StreamState

        public mutating func next() async throws -> JSONObject? {
            try await state.next()?.parameters
        }
    }

    /// The replies with their descriptors and `continues` flags.
    public var messages: Messages { Messages(stream: self) }

    public struct Messages: AsyncSequence, Sendable {
        public typealias Element = VarlinkReplyMessage
        let stream: VarlinkReplyStream

        public func makeAsyncIterator() -> Iterator {
            Iterator(
                state: StreamState(
                    client: stream.client,
                    request: stream.request,
                    fileDescriptors: stream.fileDescriptors,
                    timeout: stream.timeout
                )
            )
        }

        public struct Iterator: AsyncIteratorProtocol {
            let state: StreamState

            public mutating func next() async throws -> VarlinkReplyMessage? {
                try await state.next()
            }
        }
    }
}

/// One stream's progress. Used by one iterator, so by one task at a time; `@unchecked Sendable` because
/// its fields change only inside `next()`, which an iterator never runs concurrently with itself.
final class StreamState: @unchecked Sendable {
    let client: VarlinkClient
    let request: [UInt8]
    let fileDescriptors: [Int32]
    let timeout: Duration?
    private var started = false
    private var finished = false
    private var holdsLock = false

    init(client: VarlinkClient, request: [UInt8], fileDescriptors: [Int32], timeout: Duration?) {
        self.client = client
        self.request = request
        self.fileDescriptors = fileDescriptors
        self.timeout = timeout
    }

    deinit {
        if holdsLock {
            // Abandoned mid-stream: the position in the stream is lost, so the connection is too.
            client.transport.breakConnection()
            client.lock.unlock()
        }
    }

    func next() async throws -> VarlinkReplyMessage? {
        guard !finished else { return nil }
        let transport = client.transport
        if !started {
            started = true
            await client.lock.lock()
            holdsLock = true
            let request = self.request
            let fds = fileDescriptors
            let deadline = client.deadline(timeout)
            do {
                try await client.send(request, fileDescriptors: fds, deadline: deadline)
            } catch {
                try finish(throwing: error)
            }
        }
        var message: (DecodedReply, [Int32])?
        do {
            message = try transport.nextBuffered()
            if message == nil {
                message = try await client.receive(deadline: client.deadline(timeout))
                // Take whatever else has arrived: many replies per wake-up.
                transport.readAvailable(limit: 1 << 20)
            }
        } catch {
            try finish(throwing: error)
        }
        guard let (reply, fds) = message else { return nil }
        let result: VarlinkReplyMessage
        do {
            result = try VarlinkClient.check(reply, fds)
        } catch {
            try finish(throwing: error)
        }
        if !reply.continues { release() }
        return result
    }

    private func release() {
        finished = true
        if holdsLock {
            holdsLock = false
            client.lock.unlock()
        }
    }

    private func finish(throwing error: any Error) throws -> Never {
        release()
        throw error
    }
}
