/// One interface a `VarlinkServer` serves.
///
/// Implement `handle(_:reply:)` (async, runs on the cooperative pool). For cheap methods also implement
/// `handleImmediately(_:reply:)`: it runs on the server's I/O thread with no thread hop, and returns
/// `false` for calls it leaves to `handle`. Both may throw a `VarlinkError`, which becomes the error reply;
/// any other error becomes `io.systemd.System` (errno from a `SystemCallError`, else EIO), as sd-varlink does.
///
/// Call `reply.reply(...)` once to finish, or `reply.notify(...)` for each streamed reply first. If the
/// handler returns without a final reply, the server sends an empty one (`{}`).
/// Unknown methods: throw `VarlinkServiceError.methodNotFound(method: call.method)`.
public protocol VarlinkInterface: Sendable {
    /// The interface name, e.g. `io.berth.Portable`.
    var name: String { get }
    /// The IDL text, returned verbatim by `org.varlink.service.GetInterfaceDescription`.
    var interfaceDescription: String { get }
    /// Fast path on the I/O thread; must not block. Return `true` when the call was handled.
    func handleImmediately(_ call: VarlinkCall, reply: VarlinkReply) throws -> Bool
    /// The general path.
    func handle(_ call: VarlinkCall, reply: VarlinkReply) async throws
}

extension VarlinkInterface {
    public func handleImmediately(_ call: VarlinkCall, reply: VarlinkReply) throws -> Bool { false }
}
