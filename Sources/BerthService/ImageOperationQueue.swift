import PortableEngine

/// Serializes operations on one image and lets operations on different images run in parallel.
///
/// Keys are image base names (`foo` for `foo_1.raw` and `/srv/foo_2`), because a reattach of
/// `foo_2` rewrites what `foo_1` attached: all versions of an image share one queue. The engine's
/// file lock still guards against other processes (berthctl --root); this queue keeps berthd's own
/// calls in order instead of failing them with ImageLocked.
///
/// An operation runs in its caller's task, so it runs where that task runs: in berthd a handler task on
/// the I/O loop (the engine work then moves to `EngineExecutor`), in berthctl `--root` the main thread,
/// where the engine work runs in place. Waiting for the image is a continuation, not a task of its own.
package actor ImageOperationQueue {
    /// Per key in use: the callers waiting for it, in arrival order (the running one is not listed).
    private var waiting: [String: [CheckedContinuation<Void, Never>]] = [:]
    private var outstanding = 0
    private let limit: Int

    package init(limit: Int = 64) {
        self.limit = limit
    }

    /// Thrown when `limit` operations are already running or waiting.
    package struct Overloaded: Error, Sendable {}

    /// The number of operations running or waiting.
    package var count: Int { outstanding }

    /// Runs `operation` after every operation queued earlier under `key` has finished.
    package func run<T: Sendable>(
        key: String,
        _ operation: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        guard outstanding < limit else { throw Overloaded() }
        outstanding += 1
        defer { outstanding -= 1 }
        if waiting[key] == nil {
            waiting[key] = []
        } else {
            await withCheckedContinuation { waiting[key, default: []].append($0) }
        }
        defer { handOver(key) }
        return try await operation()
    }

    /// Lets the next caller waiting for `key` run, or frees the key.
    private func handOver(_ key: String) {
        guard var queue = waiting[key], !queue.isEmpty else {
            waiting[key] = nil
            return
        }
        let next = queue.removeFirst()
        waiting[key] = queue
        next.resume()
    }

    /// The queue key of an image argument: its base name (portabled's `path_extract_image_name`).
    package static func key(for image: String) -> String {
        PortableNames.imageBaseName(image)
    }
}
