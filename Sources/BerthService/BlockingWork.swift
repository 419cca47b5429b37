import Dispatch

/// Runs blocking engine work (file I/O, fsync, loop devices, sd-bus job waits) on Dispatch's
/// global pool instead of a cooperative-pool thread, so the Varlink I/O keeps moving while an
/// attach fsyncs: "long operations off the I/O path".
package enum BlockingWork {
    /// Set by `EngineExecutor.run`: this task's jobs already run on a thread that may block.
    @TaskLocal package static var mayBlockHere = false

    package static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        // An engine operation's PID 1 query: a hop to another thread and back would only add latency.
        if mayBlockHere { return try body() }
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async {
                continuation.resume(with: Result { try body() })
            }
        }
    }
}
