import Dispatch

/// Runs blocking engine work (file I/O, fsync, loop devices, sd-bus job waits) on Dispatch's
/// global pool instead of a cooperative-pool thread, so the Varlink I/O keeps moving while an
/// attach fsyncs: "long operations off the I/O path".
package enum BlockingWork {
    package static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async {
                continuation.resume(with: Result { try body() })
            }
        }
    }
}
