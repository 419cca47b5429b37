internal import CSystemd

/// Collects PID 1's `JobRemoved` signals on one connection, so a caller can wait for its jobs.
///
/// The match is installed *before* the first `StartUnit`/`StopUnit` call: a job that finishes
/// before the call's reply arrives still has its signal queued, and nothing is missed.
final class JobWatcher {
    /// Finished jobs: object path → result (`done`, `failed`, `canceled`, `timeout`, `dependency`, `skipped`).
    private(set) var results: [String: String] = [:]
    private var slot: OpaquePointer?

    init(on connection: borrowing BusConnection) throws(SystemdError) {
        let sender: String? = connection.isBusClient ? "org.freedesktop.systemd1" : nil
        let userdata = Unmanaged.passUnretained(self).toOpaque()
        var slot: OpaquePointer? = nil
        let result = sender.withOptionalCString { senderPointer in
            sd_bus_match_signal(
                connection.bus,
                &slot,
                senderPointer,
                "/org/freedesktop/systemd1",
                "org.freedesktop.systemd1.Manager",
                "JobRemoved",
                jobRemovedCallback,
                userdata
            )
        }
        try SDBus.check("sd_bus_match_signal", result)
        self.slot = slot
    }

    deinit {
        if let slot { sd_bus_slot_unref(slot) }
    }

    /// Removes the match; call before the connection closes.
    func cancel() {
        if let slot { sd_bus_slot_unref(slot) }
        slot = nil
    }

    fileprivate func record(job: String, result: String) {
        results[job] = result
    }
}

/// `JobRemoved(u id, o job, s unit, s result)`.
private func jobRemovedCallback(
    message: OpaquePointer?,
    userdata: UnsafeMutableRawPointer?,
    error: UnsafeMutablePointer<sd_bus_error>?
) -> Int32 {
    guard let message, let userdata else { return 0 }
    let watcher = Unmanaged<JobWatcher>.fromOpaque(userdata).takeUnretainedValue()
    var id: UInt32 = 0
    var job: UnsafePointer<CChar>? = nil
    var unit: UnsafePointer<CChar>? = nil
    var result: UnsafePointer<CChar>? = nil
    guard sd_bus_message_read_basic(message, BusType.uint32, &id) > 0,
        sd_bus_message_read_basic(message, BusType.objectPath, &job) > 0,
        sd_bus_message_read_basic(message, BusType.string, &unit) > 0,
        sd_bus_message_read_basic(message, BusType.string, &result) > 0,
        let job, let result
    else { return 0 }
    watcher.record(job: String(cString: job), result: String(cString: result))
    return 0
}

extension Optional where Wrapped == String {
    fileprivate func withOptionalCString<R>(_ body: (UnsafePointer<CChar>?) -> R) -> R {
        switch self {
        case .some(let string): return string.withCString { body($0) }
        case .none: return body(nil)
        }
    }
}
