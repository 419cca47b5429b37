extension VarlinkServer {
    /// Server settings; the defaults follow sd-varlink.
    public struct Configuration: Sendable {
        /// `org.varlink.service.GetInfo` fields.
        public var vendor: String
        public var product: String
        public var version: String
        public var url: String
        /// Largest accepted message (bytes before the NUL); bigger input closes the connection. sd-varlink: 16 MiB.
        public var maximumMessageSize: Int
        /// Most simultaneous connections; more are accepted and closed at once. sd-varlink: 4096.
        /// Capped at ¾ of RLIMIT_NOFILE when the server starts, as sd-varlink does.
        public var maximumConnections: Int
        /// Most simultaneous connections per peer UID. sd-varlink: 1024 (128 since v261). Root is
        /// counted like every other UID, as in sd-varlink; `nil` disables the per-UID cap.
        public var maximumConnectionsPerUID: Int?
        /// Queued output per connection before a peer that does not read is dropped.
        public var maximumOutputBuffer: Int
        /// A connection holding an incomplete message this long is dropped (slowloris protection).
        /// sd-varlink has no such timeout; `nil` disables it.
        public var incompleteMessageTimeout: Duration?
        /// A connection with no call in flight and nothing received for this long is dropped. `nil` (the
        /// default, as in sd-varlink) keeps idle connections open.
        public var idleConnectionTimeout: Duration?
        /// When set, `run()` returns `.idle` after this long with no connections and no calls in flight,
        /// without accepting: a final non-blocking poll of the listening sockets makes sure no client is
        /// waiting (one that is gets served). A client arriving after that stays in the listening
        /// socket's backlog, which systemd keeps, so it is never refused.
        public var exitWhenIdle: Duration?

        public init(
            vendor: String = "",
            product: String = "",
            version: String = "",
            url: String = "",
            maximumMessageSize: Int = 16 << 20,
            maximumConnections: Int = 4096,
            maximumConnectionsPerUID: Int? = 1024,
            maximumOutputBuffer: Int = 16 << 20,
            incompleteMessageTimeout: Duration? = .seconds(30),
            idleConnectionTimeout: Duration? = nil,
            exitWhenIdle: Duration? = nil
        ) {
            self.vendor = vendor
            self.product = product
            self.version = version
            self.url = url
            self.maximumMessageSize = maximumMessageSize
            self.maximumConnections = maximumConnections
            self.maximumConnectionsPerUID = maximumConnectionsPerUID
            self.maximumOutputBuffer = maximumOutputBuffer
            self.incompleteMessageTimeout = incompleteMessageTimeout
            self.idleConnectionTimeout = idleConnectionTimeout
            self.exitWhenIdle = exitWhenIdle
        }
    }

    /// Why `run()` returned.
    public enum StopReason: Sendable, Equatable {
        /// `shutdown()` or a stop signal: calls in flight were finished and their replies flushed.
        case shutdown
        /// `Configuration.exitWhenIdle` elapsed with nothing pending on the listening sockets, or the server
        /// had no listening socket and every adopted connection has closed.
        case idle
    }

    /// A snapshot of the server's load.
    public struct Activity: Sendable, Equatable {
        public var connections: Int
        public var callsInFlight: Int
    }
}

extension Duration {
    var nanoseconds: UInt64 {
        let (seconds, attoseconds) = components
        return UInt64(max(0, seconds)) * 1_000_000_000 + UInt64(max(0, attoseconds) / 1_000_000_000)
    }
}
