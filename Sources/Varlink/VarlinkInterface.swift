/// One interface a `VarlinkServer` serves.
///
/// Handlers run on the server's I/O loop (see `Varlink.swift`): `handle(_:reply:)` as a task whose
/// every job the loop runs, between two rounds of socket I/O. So a handler must not block: it awaits
/// whatever is slow (berthd hands file and sd-bus work to its engine executor). Hot, cheap methods may
/// also implement `handleImmediately(_:reply:)`, the same context without a task: it returns `false`
/// for calls it leaves to `handle`. Both may throw a `VarlinkError`, which becomes the error reply;
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
    /// The call answered synchronously, without a task; must not block. `true` when the call was handled.
    func handleImmediately(_ call: VarlinkCall, reply: VarlinkReply) throws -> Bool
    /// The general path, as a task on the I/O loop; must not block (await instead).
    func handle(_ call: VarlinkCall, reply: VarlinkReply) async throws
}

extension VarlinkInterface {
    public func handleImmediately(_ call: VarlinkCall, reply: VarlinkReply) throws -> Bool { false }
}
