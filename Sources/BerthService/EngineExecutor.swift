import Dispatch

/// A task executor for engine operations: their synchronous file work (openat2, fsync, renames,
/// loop devices) runs on Dispatch's thread pool, never on the cooperative pool that the Varlink
/// connections use, so a slow attach cannot stall other clients.
///
/// Used with `withTaskExecutorPreference(EngineExecutor.shared) { … }`: every job of that task,
/// including the code after each `await`, is enqueued here.
package final class EngineExecutor: TaskExecutor {
    package static let shared = EngineExecutor()

    private let queue = DispatchQueue(label: "berth.engine", qos: .userInitiated, attributes: .concurrent)

    package init() {}

    package func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}

extension EngineExecutor {
    /// Runs `operation` with its jobs on the engine executor, where blocking is allowed (`BlockingWork`
    /// then runs inline instead of hopping to another thread and back).
    package static func run<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withTaskExecutorPreference(shared) {
            try await BlockingWork.$mayBlockHere.withValue(true) { try await operation() }
        }
    }
}
