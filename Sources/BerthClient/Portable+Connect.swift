public import Varlink

extension Portable.Client {
    /// Where berthd listens by default (its socket unit's `ListenStream=`).
    public static let defaultAddress = "/run/berth/io.berth.Portable"

    /// Connects to berthd (or any io.berth.Portable service) and returns a typed client.
    ///
    /// - Parameters:
    ///   - address: `unix:/path`, `/path`, `@abstract` or `exec:/path/to/berthd`; defaults to berthd's socket.
    ///   - timeout: per-call timeout; `nil` waits forever.
    public static func connect(
        to address: String = Portable.Client.defaultAddress,
        timeout: Duration? = .seconds(45)
    ) async throws(VarlinkConnectionError) -> Portable.Client {
        Portable.Client(try await VarlinkClient.connect(to: address, timeout: timeout))
    }
}
