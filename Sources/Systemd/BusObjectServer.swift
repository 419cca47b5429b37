internal import CSystemd
import Synchronization
import SystemCalls

#if canImport(Glibc)
import Glibc
#endif

/// Serves objects on a D-Bus bus under a well-known name: every method call to a registered path
/// (or below it) becomes a `BusCall` handed to one handler, which answers it from any thread.
///
/// One thread runs `run`, the only place sd-bus reads and dispatches; answers are written under
/// the same lock and wake that thread through an eventfd, so a reply never waits for the next
/// incoming message. Handlers are called outside the lock, so one may answer at once.
package final class BusObjectServer: @unchecked Sendable {
    /// Why `run` returned.
    package enum StopReason: Sendable, Equatable {
        /// `stop()` was called; every call received before was answered.
        case stopped
        /// Quiet for the idle timeout (and the `othersIdle` check agreed); the name was released and
        /// every call that still arrived was answered.
        case idle
        /// The bus closed the connection.
        case disconnected
    }

    /// The connection, used under `lock` only, like the fields below.
    private let bus: OpaquePointer
    private let lock = Lock<Void>(())
    /// Calls received and not yet answered.
    private var inFlight = 0
    /// Calls received in the current `sd_bus_process` round, handed to handlers after it.
    private var received: [BusCall] = []
    private var stopRequested = false
    private var slots: [OpaquePointer] = []
    private let wakeFD: Int32
    private let name: String

    /// Connects to `address`, else to `bus`: the system bus (`DBUS_SYSTEM_BUS_ADDRESS` where set) or the
    /// user's (`DBUS_SESSION_BUS_ADDRESS`, else `$XDG_RUNTIME_DIR/bus`).
    package init(address: String? = nil, bus kind: MessageBus = .system, name: String) throws(SystemdError) {
        let bus = try SDBus.open(address: address, asBusClient: true, bus: kind)
        do throws(SystemCallError) {
            wakeFD = try Linux.eventFD()
        } catch {
            sd_bus_flush_close_unref(bus)
            throw .systemCall(error)
        }
        self.bus = bus
        self.name = name
    }

    deinit {
        lock.withLock { _ in
            for slot in slots { sd_bus_slot_unref(slot) }
            sd_bus_flush_close_unref(bus)
        }
        close(wakeFD)
    }

    /// Routes every method call to `path` and the paths below it to `handler` (called on the bus
    /// thread, outside the lock). Register before `requestName()`. `needsSender` says for which
    /// interface and member `BusCall.sender` is asked of the bus driver (default: all).
    package func serve(
        path: String,
        needsSender: @escaping @Sendable (_ interface: String, _ member: String) -> Bool = { _, _ in true },
        handler: @escaping @Sendable (BusCall) -> Void
    ) throws(SystemdError) {
        let route = Route(server: self, handler: handler, needsSender: needsSender)
        let box = Unmanaged.passRetained(route).toOpaque()
        let result = lock.withLock { _ -> Int32 in
            var slot: OpaquePointer? = nil
            let added = sd_bus_add_fallback(bus, &slot, path, BusObjectServer.callback, box)
            if added >= 0, let slot {
                _ = sd_bus_slot_set_destroy_callback(slot) { Unmanaged<Route>.fromOpaque($0!).release() }
                slots.append(slot)
            }
            return added
        }
        if result < 0 { Unmanaged<Route>.fromOpaque(box).release() }
        try SDBus.check("sd_bus_add_fallback", result)
    }

    /// Takes the well-known name; fails with EEXIST when another connection owns it.
    package func requestName() throws(SystemdError) {
        try SDBus.check("sd_bus_request_name", lock.withLock { _ in sd_bus_request_name(bus, name, 0) })
    }

    /// Asks `run` to return once every call received so far is answered.
    package func stop() {
        withBus { _ in stopRequested = true }
    }

    /// Calls received and not yet answered.
    package var callsInFlight: Int { lock.withLock { _ in inFlight } }

    /// Runs `body` with the connection under the lock, then wakes the bus thread to send what it queued.
    /// `onlyForOutput`: wake it only if sd-bus could not write everything at once (a reply is written
    /// by the answering thread itself; a needless wake-up per call competes with the caller for the
    /// CPU, and the idle clock, reset when the call arrived, is looked at every second anyway).
    func withBus(onlyForOutput: Bool = false, _ body: (OpaquePointer) -> Void) {
        let wake = lock.withLock { _ -> Bool in
            body(bus)
            return !onlyForOutput || Int32(sd_bus_get_events(bus)) & Int32(POLLOUT) != 0
        }
        if wake { Linux.eventFDSignal(wakeFD) }
    }

    /// Called by `BusCall` under the lock when it was answered or dropped.
    func callAnswered() {
        inFlight -= 1
    }

    /// Serves until `stop()`, a lost connection, or `idleTimeout` without calls while `othersIdle`
    /// agrees (the daemon's other front door). On idle the name is released first, then whatever
    /// the bus still delivered is answered, so no call is lost.
    package func run(
        idleTimeout: Duration? = nil,
        othersIdle: @Sendable () -> Bool = { true }
    ) throws(SystemdError) -> StopReason {
        var releasing = false
        var quietSince = Posix.monotonicNanoseconds()
        while true {
            let round = try processRound()
            guard let round else { return .disconnected }
            for call in round.calls { call.dispatch() }
            let now = Posix.monotonicNanoseconds()
            if round.inFlight > 0 || !round.calls.isEmpty { quietSince = now }
            if round.inFlight == 0 && round.calls.isEmpty {
                if round.stop { return .stopped }
                if releasing { return .idle }
                if let idleTimeout, now &- quietSince >= Self.nanoseconds(idleTimeout) {
                    if othersIdle() {
                        // As sd_bus_event_loop_with_idle: give the name up, then answer what is queued.
                        _ = lock.withLock { _ in sd_bus_release_name(bus, name) }
                        releasing = true
                        continue
                    }
                    quietSince = now
                }
            }
            var entries = [
                Posix.PollEntry(fd: round.fd, events: round.events),
                Posix.PollEntry(fd: wakeFD, events: Int16(POLLIN)),
            ]
            var milliseconds: Int64 = round.timeout == .max ? -1 : Self.millisecondsUntil(round.timeout)
            // The other front door does not wake this loop: look again every second when idle exit is on.
            if idleTimeout != nil { milliseconds = milliseconds < 0 ? 1000 : min(milliseconds, 1000) }
            do throws(SystemCallError) {
                try Posix.poll(&entries, timeoutMilliseconds: Int32(clamping: milliseconds))
            } catch {
                throw .systemCall(error)
            }
            if entries[1].returnedEvents != 0 { Linux.eventFDDrain(wakeFD) }
        }
    }

    private struct Round {
        var calls: [BusCall]
        var fd: Int32
        var events: Int16
        var timeout: UInt64
        var stop: Bool
        var inFlight: Int
    }

    /// Lets sd-bus read, write and dispatch all it can; nil when the connection is gone.
    private func processRound() throws(SystemdError) -> Round? {
        try lock.withLock { _ throws(SystemdError) -> Round? in
            while true {
                let processed = sd_bus_process(bus, nil)
                if [-ECONNRESET, -ENOTCONN, -EPIPE].contains(processed) { return nil }
                try SDBus.check("sd_bus_process", processed)
                if processed == 0 { break }
            }
            let calls = received
            received = []
            var timeout: UInt64 = .max
            _ = sd_bus_get_timeout(bus, &timeout)
            let events = Int16(truncatingIfNeeded: max(0, sd_bus_get_events(bus)))
            return Round(
                calls: calls,
                fd: sd_bus_get_fd(bus),
                events: events,
                timeout: timeout,
                stop: stopRequested,
                inFlight: inFlight
            )
        }
    }

    /// sd-bus's callback for a registered path, inside `sd_bus_process` (under the lock): records the
    /// call; `run` hands it to the handler after the round.
    private static let callback: sd_bus_message_handler_t = { message, userdata, _ in
        guard let message, let userdata else { return 0 }
        let route = Unmanaged<Route>.fromOpaque(userdata).takeUnretainedValue()
        return route.server.receive(message, route: route)
    }

    private func receive(_ message: OpaquePointer, route: Route) -> Int32 {
        do throws(SystemdError) {
            let call = try BusCall(
                message: message,
                server: self,
                handler: route.handler,
                needsSender: route.needsSender
            )
            inFlight += 1
            received.append(call)
        } catch {
            var failure = sd_bus_error(name: nil, message: nil, _need_free: 0)
            defer { sd_bus_error_free(&failure) }
            _ = sd_bus_error_set(&failure, "org.freedesktop.DBus.Error.InvalidArgs", "\(error)")
            _ = sd_bus_reply_method_error(message, &failure)
        }
        return 1
    }

    private final class Route: Sendable {
        let server: BusObjectServer
        let handler: @Sendable (BusCall) -> Void
        let needsSender: @Sendable (String, String) -> Bool
        init(
            server: BusObjectServer,
            handler: @escaping @Sendable (BusCall) -> Void,
            needsSender: @escaping @Sendable (String, String) -> Bool
        ) {
            self.server = server
            self.handler = handler
            self.needsSender = needsSender
        }
    }

    static func nanoseconds(_ duration: Duration) -> UInt64 {
        let (seconds, attoseconds) = duration.components
        return UInt64(max(0, seconds)) * 1_000_000_000 + UInt64(max(0, attoseconds) / 1_000_000_000)
    }

    /// sd-bus timeouts are absolute CLOCK_MONOTONIC microseconds.
    static func millisecondsUntil(_ deadline: UInt64) -> Int64 {
        let now = Posix.monotonicNanoseconds() / 1000
        return deadline > now ? Int64((deadline - now) / 1000) + 1 : 0
    }

}
