/// Serializes operations on one image and lets operations on different images run in parallel.
///
/// Keys are image base names (`foo` for `foo_1.raw` and `/srv/foo_2`), because a reattach of
/// `foo_2` rewrites what `foo_1` attached: all versions of an image share one queue. The engine's
/// file lock still guards against other processes (berthctl --root); this queue keeps berthd's own
/// calls in order instead of failing them with ImageLocked.
package actor ImageOperationQueue {
    private struct Tail {
        var token: UInt64
        var done: Task<Void, Never>
    }

    private var tails: [String: Tail] = [:]
    private var nextToken: UInt64 = 0
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
        let previous = tails[key]?.done
        let task = Task<T, any Error> {
            await previous?.value
            return try await operation()
        }
        nextToken += 1
        let token = nextToken
        tails[key] = Tail(token: token, done: Task { _ = await task.result })
        defer {
            outstanding -= 1
            if tails[key]?.token == token { tails[key] = nil }
        }
        return try await task.value
    }

    /// The queue key of an image argument: the last path component without `.raw`, cut at the
    /// first `_` (portabled's `path_extract_image_name`).
    package static func key(for image: String) -> String {
        var name = Substring(image)
        while name.count > 1, name.hasSuffix("/") { name = name.dropLast() }
        if let slash = name.lastIndex(of: "/") { name = name[name.index(after: slash)...] }
        for suffix in [".sysext.raw", ".confext.raw", ".raw"] where name.hasSuffix(suffix) {
            name = name.dropLast(suffix.count)
            break
        }
        if let cut = name.firstIndex(where: { $0 == "_" || $0 == "+" }) { name = name[..<cut] }
        return String(name)
    }
}
