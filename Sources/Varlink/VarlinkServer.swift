public import SystemCalls

/// A Varlink server over AF_UNIX: one epoll I/O loop, which also runs the handlers (see `Varlink.swift`).
///
/// Set up, then run:
/// ```swift
/// let server = VarlinkServer(configuration: .init(vendor: "Berth", product: "berthd", version: "1"))
/// server.register(MyInterface())
/// try server.listen(on: VarlinkAddress(parsing: "unix:/run/berth/io.berth.Portable"))
/// let reason = try await server.run()
/// ```
/// `org.varlink.service` is built in. All methods are thread-safe; `register`, `listen` and `adopt`
/// must come before `run`.
public final class VarlinkServer: Sendable {
    let core: ServerCore

    public init(configuration: Configuration = Configuration()) {
        core = ServerCore(configuration: configuration)
    }

    /// The configuration given at creation.
    public var configuration: Configuration { core.configuration }

    /// Adds an interface; a later one with the same name replaces the earlier one.
    public func register(_ interface: any VarlinkInterface) {
        core.register(interface)
    }

    /// Binds and listens on `unix:PATH` (a stale socket file is removed first; anything else at the
    /// path is an error; `mode=` applied with chmod) or `@abstract`. `exec:` is client-only.
    public func listen(on address: VarlinkAddress, backlog: Int32 = 4096) throws(SystemCallError) {
        try core.listen(on: address, backlog: backlog)
    }

    /// Takes ownership of an already-listening socket (e.g. from systemd's LISTEN_FDS); it is made
    /// non-blocking and close-on-exec.
    public func adopt(listeningDescriptor fd: FileDescriptor) throws(SystemCallError) {
        try core.adoptListener(fd.rawValue)
    }

    /// Takes ownership of an already-connected socket and serves it (socket activation with
    /// `Accept=yes`, or one end of a socketpair).
    public func adopt(connectedDescriptor fd: FileDescriptor) throws(SystemCallError) {
        try core.adoptConnection(fd.rawValue)
    }

    /// Makes `run()` shut down gracefully when one of these signals arrives. Blocks the signals in
    /// the calling thread: call it from `main` before any other thread starts.
    public func stopOnSignals(_ signals: [Int32]) throws(SystemCallError) {
        try core.watchSignals(signals)
    }

    /// Runs the I/O loop on a dedicated thread until shutdown or idle exit.
    public func run() async throws(SystemCallError) -> StopReason {
        let result: Result<StopReason, SystemCallError> = await withCheckedContinuation { continuation in
            do throws(SystemCallError) {
                try Posix.startThread { [core] in
                    do throws(SystemCallError) {
                        continuation.resume(returning: .success(try core.runLoop()))
                    } catch {
                        continuation.resume(returning: .failure(error))
                    }
                }
            } catch {
                continuation.resume(returning: .failure(error))
            }
        }
        return try result.get()
    }

    /// Runs the I/O loop on the calling thread (which must not be a cooperative-pool thread) until
    /// shutdown or idle exit.
    public func runOnCurrentThread() throws(SystemCallError) -> StopReason {
        try core.runLoop()
    }

    /// Graceful stop: stop accepting, finish calls in flight, flush their replies, close everything;
    /// `run()` then returns `.shutdown`. Safe from any thread, also before `run()`.
    public func shutdown() {
        core.post(.shutdown)
    }

    /// Stops polling the listening sockets (connections stay in their backlog).
    public func stopAccepting() {
        core.post(.setAccepting(false))
    }

    /// Resumes accepting after `stopAccepting()`.
    public func resumeAccepting() {
        core.post(.setAccepting(true))
    }

    /// Whether a client is waiting in a listening socket's backlog right now (non-blocking poll).
    public var hasPendingConnection: Bool { core.hasPendingConnection() }

    /// Connections and calls in flight right now.
    public var activity: Activity { core.activitySnapshot() }
}
