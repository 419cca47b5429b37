import Synchronization
import SystemCalls

#if canImport(Glibc)
import Glibc
#endif

/// The server's state. Everything except the mailbox, the atomics and the configuration is touched
/// only by the I/O thread (or before it starts), which is why the class is `@unchecked Sendable`.
final class ServerCore: @unchecked Sendable {
    let configuration: VarlinkServer.Configuration
    private let setupLock = Lock<Void>(())
    var interfaces: [String: any VarlinkInterface] = [:]
    var interfaceOrder: [String] = []
    /// `interfaces` in registration order with their names' bytes, for `interface(named:)`.
    private var registeredNames: [[UInt8]] = []
    private var registeredInterfaces: [any VarlinkInterface] = []

    struct Listener {
        var fd: Int32
        var registered: Bool
    }
    var listeners: [Listener] = []
    var connections: [UInt64: ServerConnection] = [:]
    var connectionsPerUID: [UInt32: Int] = [:]
    var pendingAdoptions: [Int32] = []
    var signalFD: Int32 = -1
    var nextConnectionID: UInt64 = 1 << 20
    var callsInFlight = 0
    var accepting = true
    var draining = false
    var effectiveMaximumConnections = 0
    var sweepInterval: UInt64 = 1_000_000_000
    /// Connections with queued output, flushed once per loop iteration.
    var dirty: [ServerConnection] = []
    /// Connections whose new output is only a fan-out (one event to every watcher), flushed after
    /// `dirty` and at most `fanOutSlice` per loop turn from `fanOutNext` on: a call that arrives
    /// meanwhile is read, run and answered between two slices, not after a thousand `sendmsg`s.
    var fanOut: [ServerConnection] = []
    var fanOutNext = 0
    static let fanOutSlice = 64

    private(set) var epollFD: Int32 = -1
    /// Created by the first `runLoop` and kept until deinit, so late `post` calls never hit a reused fd.
    private let wakeDescriptor = Atomic<Int32>(-1)
    var wakeFD: Int32 { wakeDescriptor.load(ordering: .acquiring) }
    struct Mailbox {
        var items: [MailboxItem] = []
        /// Set when the loop has returned: jobs then go to the global executor instead of waiting forever.
        var closed = false
    }
    let mailbox = Lock<Mailbox>(Mailbox())
    let wakePending = Atomic<Bool>(false)
    private let loopThread = Atomic<UInt>(0)
    private let counters = Lock<VarlinkServer.Activity>(VarlinkServer.Activity(connections: 0, callsInFlight: 0))
    /// Shared read buffer; the I/O thread is the only reader. Left uninitialised (only bytes a `recvmsg`
    /// wrote are ever read): zeroing it touched 16 pages at start that a small message never reaches.
    var readScratch = [UInt8](unsafeUninitializedCapacity: 64 << 10) { _, count in count = 64 << 10 }

    static let wakeToken: UInt64 = 1
    static let signalToken: UInt64 = 2
    static let listenerTokenBase: UInt64 = 1 << 10

    init(configuration: VarlinkServer.Configuration) {
        self.configuration = configuration
        register(ServiceInterface(core: self))
    }

    // MARK: - Setup (before run)

    func register(_ interface: any VarlinkInterface) {
        setupLock.withLock { _ in
            if interfaces[interface.name] == nil { interfaceOrder.append(interface.name) }
            interfaces[interface.name] = interface
            registeredNames = interfaceOrder.map { Array($0.utf8) }
            registeredInterfaces = interfaceOrder.map { interfaces[$0]! }
        }
    }

    /// The interface a call names, by comparing bytes: a server has a handful of interfaces, and
    /// scanning their names costs less than making a `String` of the name and hashing it on every call.
    func interface(named name: Substring) -> (any VarlinkInterface)? {
        let found: Int?? = name.utf8.withContiguousStorageIfAvailable { bytes in
            registeredNames.firstIndex { candidate in
                candidate.count == bytes.count && !bytes.isEmpty
                    && candidate.withUnsafeBytes { memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 }
            }
        }
        guard let found else { return interfaces[String(name)] }
        return found.map { registeredInterfaces[$0] }
    }

    func listen(on address: VarlinkAddress, backlog: Int32) throws(SystemCallError) {
        let fd = try Posix.unixStreamSocket(nonBlocking: true)
        do throws(SystemCallError) {
            switch address {
            case .unixPath(let path, let mode):
                try Posix.removeStaleSocket(at: path)
                try Posix.bindUnix(fd, name: path, abstract: false)
                if let mode { try Posix.setSocketMode(at: path, mode: mode) }
            case .abstract(let name):
                try Posix.bindUnix(fd, name: name, abstract: true)
            case .exec(let program, _):
                throw SystemCallError(call: "bind", errno: EINVAL, detail: "exec:\(program) is a client-only address")
            }
            try Posix.listen(fd, backlog: backlog)
        } catch {
            Posix.close(fd)
            throw error
        }
        setupLock.withLock { _ in listeners.append(Listener(fd: fd, registered: false)) }
    }

    func adoptListener(_ fd: Int32) throws(SystemCallError) {
        try Posix.setNonBlocking(fd, true)
        try Posix.setCloseOnExec(fd)
        setupLock.withLock { _ in listeners.append(Listener(fd: fd, registered: false)) }
    }

    func adoptConnection(_ fd: Int32) throws(SystemCallError) {
        try Posix.setNonBlocking(fd, true)
        try Posix.setCloseOnExec(fd)
        setupLock.withLock { _ in pendingAdoptions.append(fd) }
    }

    func watchSignals(_ signals: [Int32]) throws(SystemCallError) {
        let fd = try Linux.signalFD(for: signals)
        setupLock.withLock { _ in signalFD = fd }
    }

    // MARK: - Cross-thread entry points

    var isOnLoopThread: Bool { loopThread.load(ordering: .relaxed) == Posix.currentThreadID }

    func post(_ item: MailboxItem) {
        let accepted = mailbox.withLock { mailbox -> Bool in
            if case .job = item, mailbox.closed { return false }
            mailbox.items.append(item)
            return true
        }
        guard accepted else {
            if case .job(let job) = item { globalConcurrentExecutor.enqueue(ExecutorJob(job)) }
            return
        }
        // One wake-up per drain: the loop clears the flag before it empties the mailbox.
        if !wakePending.exchange(true, ordering: .sequentiallyConsistent) {
            let fd = wakeFD
            if fd >= 0 { Linux.eventFDSignal(fd) }
        }
    }

    func hasPendingConnection() -> Bool {
        let fds = setupLock.withLock { _ in listeners.map(\.fd) }
        for fd in fds where (try? Posix.poll(fd, for: .readable, timeoutMilliseconds: 0)) == true { return true }
        return false
    }

    func activitySnapshot() -> VarlinkServer.Activity { counters.withLock { $0 } }

    func publishCounters() {
        let snapshot = VarlinkServer.Activity(connections: connections.count, callsInFlight: callsInFlight)
        counters.withLock { $0 = snapshot }
    }

    // MARK: - The loop

    func runLoop() throws(SystemCallError) -> VarlinkServer.StopReason {
        mailbox.withLock { $0.closed = false }
        epollFD = try Linux.epollCreate()
        if wakeFD < 0 { wakeDescriptor.store(try Linux.eventFD(), ordering: .releasing) }
        loopThread.store(Posix.currentThreadID, ordering: .relaxed)
        defer { tearDown() }
        let limit = Posix.openFileLimit()
        effectiveMaximumConnections = min(configuration.maximumConnections, Int(min(limit, UInt64(Int32.max)) * 3 / 4))
        try Linux.epollAdd(epollFD, wakeFD, interest: .readable, token: Self.wakeToken)
        // Requests made before the loop existed (stopAccepting, shutdown) apply before the first accept.
        drainMailbox()
        if signalFD >= 0 { try Linux.epollAdd(epollFD, signalFD, interest: .readable, token: Self.signalToken) }
        try registerListeners()
        for fd in setupLock.withLock({ _ in pendingAdoptions }) { try? addConnection(fd) }
        pendingAdoptions.removeAll()

        var events: [EpollEvent] = []
        events.reserveCapacity(256)
        let epollBuffer = Linux.EpollBuffer(capacity: 256)
        var idleSince = Posix.monotonicNanoseconds()
        var lastSweep = idleSince
        sweepInterval = sweepIntervalNanoseconds()
        let hasTimeouts = configuration.incompleteMessageTimeout != nil || configuration.idleConnectionTimeout != nil

        while true {
            // A fan-out still pending: only look for ready connections, never sleep.
            let timeout = fanOutNext < fanOut.count ? 0 : pollTimeout(idleSince: idleSince)
            try Linux.epollWait(epollFD, into: &events, buffer: epollBuffer, timeoutMilliseconds: timeout)
            for event in events { handle(event) }
            drainMailbox()
            flushDirty()
            if draining {
                closeIdleConnectionsForShutdown()
                if connections.isEmpty && callsInFlight == 0 { return .shutdown }
            }
            let now = Posix.monotonicNanoseconds()
            if hasTimeouts && now &- lastSweep >= sweepInterval {
                lastSweep = now
                sweepTimeouts(now: now)
            }
            if !connections.isEmpty || callsInFlight > 0 {
                idleSince = now
            } else if listeners.isEmpty {
                // Only adopted connections (varlinkctl exec:) and all are gone: nothing can ever arrive.
                return .idle
            } else if let idle = configuration.exitWhenIdle, !draining, now &- idleSince >= idle.nanoseconds {
                // Race-free idle exit: never accept from here on; a waiting client keeps us running.
                if hasPendingConnection() {
                    idleSince = now
                } else {
                    return .idle
                }
            }
        }
    }

    private func sweepIntervalNanoseconds() -> UInt64 {
        var interval: UInt64 = 1_000_000_000
        for timeout in [configuration.incompleteMessageTimeout, configuration.idleConnectionTimeout] {
            if let timeout { interval = min(interval, max(timeout.nanoseconds / 4, 5_000_000)) }
        }
        return interval
    }

    private func pollTimeout(idleSince: UInt64) -> Int32 {
        var milliseconds: Int64 = -1
        if configuration.incompleteMessageTimeout != nil || configuration.idleConnectionTimeout != nil {
            milliseconds = Int64(sweepInterval / 1_000_000)
        }
        if let idle = configuration.exitWhenIdle, connections.isEmpty, callsInFlight == 0 {
            let elapsed = Posix.monotonicNanoseconds() &- idleSince
            let remaining = idle.nanoseconds > elapsed ? (idle.nanoseconds - elapsed) / 1_000_000 + 1 : 0
            milliseconds = milliseconds < 0 ? Int64(remaining) : min(milliseconds, Int64(remaining))
        }
        return Int32(clamping: milliseconds)
    }

    func registerListeners() throws(SystemCallError) {
        for index in listeners.indices where !listeners[index].registered && accepting {
            try Linux.epollAdd(
                epollFD,
                listeners[index].fd,
                interest: .readable,
                token: Self.listenerTokenBase + UInt64(index)
            )
            listeners[index].registered = true
        }
    }

    func unregisterListeners() {
        for index in listeners.indices where listeners[index].registered {
            Linux.epollRemove(epollFD, listeners[index].fd)
            listeners[index].registered = false
        }
    }

    private func handle(_ event: EpollEvent) {
        switch event.token {
        case Self.wakeToken:
            Linux.eventFDDrain(wakeFD)
        case Self.signalToken:
            while Linux.readSignal(signalFD) != nil {}
            beginShutdown()
        case Self.listenerTokenBase..<(Self.listenerTokenBase + UInt64(listeners.count)):
            acceptConnections(from: listeners[Int(event.token - Self.listenerTokenBase)].fd)
        default:
            guard let connection = connections[event.token] else { return }
            connection.handle(event)
        }
    }

    func beginShutdown() {
        guard !draining else { return }
        draining = true
        unregisterListeners()
        // Streams that only end when their client leaves (`waitUntilDisconnected`) end now, so the
        // drain does not wait for clients that may never go.
        for connection in connections.values where connection.state == .inCall { connection.gauge.close() }
    }

    private func closeIdleConnectionsForShutdown() {
        for connection in Array(connections.values) where connection.canCloseForShutdown {
            connection.close()
        }
    }

    private func sweepTimeouts(now: UInt64) {
        let incomplete = configuration.incompleteMessageTimeout?.nanoseconds
        let idle = configuration.idleConnectionTimeout?.nanoseconds
        for connection in Array(connections.values) {
            if let incomplete, connection.hasIncompleteMessage, now &- connection.lastInput >= incomplete {
                connection.close()
            } else if let idle, connection.isIdle, now &- connection.lastInput >= idle {
                connection.close()
            }
        }
    }

    private func tearDown() {
        for connection in Array(connections.values) { connection.close() }
        fanOut.removeAll()
        fanOutNext = 0
        for listener in listeners { Posix.close(listener.fd) }
        listeners.removeAll()
        if signalFD >= 0 { Posix.close(signalFD) }
        signalFD = -1
        loopThread.store(0, ordering: .relaxed)
        Posix.close(epollFD)
        epollFD = -1
        // Anything still queued refers to connections that are gone.
        for item in mailbox.withLock({ mailbox -> [MailboxItem] in
            defer {
                mailbox.items.removeAll()
                mailbox.closed = true
            }
            return mailbox.items
        }) {
            switch item {
            case .output(_, _, _, let fds, _): for fd in fds { Posix.close(fd) }
            case .upgrade(_, _, _, let continuation): continuation.resume(throwing: VarlinkConnectionError.closed)
            case .job(let job): globalConcurrentExecutor.enqueue(ExecutorJob(job))
            default: break
            }
        }
    }

    deinit {
        let fd = wakeDescriptor.load(ordering: .acquiring)
        if fd >= 0 { Posix.close(fd) }
    }

    /// Called on the I/O thread when a handler task starts.
    func handlerStarted() {
        callsInFlight += 1
        publishCounters()
    }
}

/// Handler tasks prefer the I/O loop: their jobs (the handler's code between suspension points) run
/// on the loop's thread, between two rounds of socket I/O, never on Swift's cooperative pool.
extension ServerCore: TaskExecutor {
    func enqueue(_ job: consuming ExecutorJob) {
        post(.job(UnownedJob(job)))
    }
}
