/// Where a streaming method sends the replies before its last one (which the method returns).
///
/// On the server, the generated adapter hands the implementation a sink over the call's reply: with
/// `more` each element is sent with `continues: true`, without it the sink is not streaming and only
/// the returned reply is sent. A caller of the API protocol in process, or the typed client, makes one
/// from a closure. Every generated interface names it `<Namespace>.ReplySink`.
public struct VarlinkReplySink<Element: VarlinkMessage>: Sendable {
    private enum Destination: Sendable {
        case reply(VarlinkReply)
        case handler(@Sendable (Element) async -> Void)
        case none
    }

    private let destination: Destination

    /// Sends each element on `reply` (as `continues: true` replies when the call has `more`).
    public init(_ reply: VarlinkReply) {
        destination = .reply(reply)
    }

    /// Hands each element to `handler`, in order.
    public init(_ handler: @escaping @Sendable (Element) async -> Void) {
        destination = .handler(handler)
    }

    /// A sink for a caller that wants only the last reply.
    public static var discarding: Self { Self(destination: .none) }

    private init(destination: Destination) {
        self.destination = destination
    }

    /// Whether anyone takes the replies before the last one; without it only the returned reply counts.
    public var isStreaming: Bool {
        switch destination {
        case .reply(let reply): reply.more
        case .handler: true
        case .none: false
        }
    }

    /// Whether the caller is still there to take replies.
    public var isConnected: Bool {
        switch destination {
        case .reply(let reply): reply.isConnected
        case .handler, .none: true
        }
    }

    /// Sends one reply before the last without waiting for the receiver: one that stops reading is
    /// dropped by the server's output cap instead of holding up the sender.
    public func offer(_ element: Element) async {
        switch destination {
        case .reply(let reply): reply.notify(element.jsonObject)
        case .handler(let handler): await handler(element)
        case .none: break
        }
    }

    /// Sends a reply encoded once for many receivers, at once and in the caller's order, when this
    /// sink is a connection's; returns `false` for a handler or discarding sink (use `offer` there).
    public func offer(encoded: VarlinkEncodedReply) -> Bool {
        guard case .reply(let reply) = destination else { return false }
        reply.notify(encoded: encoded)
        return true
    }

    /// The connection's reply behind this sink, for `VarlinkReply.notify(_:encoded:)`; nil for a handler
    /// or discarding sink.
    public var connectionReply: VarlinkReply? {
        if case .reply(let reply) = destination { return reply }
        return nil
    }

    /// Returns once the caller is gone: the connection closed, or (in process) the task was cancelled.
    public func waitUntilDisconnected() async {
        switch destination {
        case .reply(let reply):
            await reply.waitUntilDisconnected()
        case .handler, .none:
            while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
        }
    }

    /// Sends one reply before the last, then waits while the receiver's buffer is full.
    public func send(_ element: Element) async {
        switch destination {
        case .reply(let reply):
            reply.notify(element.jsonObject)
            await reply.drain()
        case .handler(let handler):
            await handler(element)
        case .none:
            break
        }
    }
}
