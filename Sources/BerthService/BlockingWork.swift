/// Runs a synchronous blocking call (an sd-bus reload or job wait, file I/O) where blocking is
/// allowed: in place on a thread that may block, else on the engine executor.
package enum BlockingWork {
    package static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await EngineExecutor.run { try body() }
    }
}
