import Synchronization
import SystemCalls

/// The threads on which blocking is fine: the one a `CurrentThreadExecutor` drives (a command-line
/// tool's main thread, which has nothing else to do) and the threads of an executor made for blocking
/// work (berthd's engine executor).
///
/// Code that would otherwise hand blocking work to another thread asks `mayBlockHere` and, on such a
/// thread, simply blocks: the Varlink client waits for its socket inline, engine work runs in place.
/// It is a property of the thread, not of a task, so a task that moves on to the cooperative pool
/// (a `Task {}` or an actor) is never mistaken for one that may block.
package enum BlockingThreads {
    private struct Members {
        var threads: [UInt] = []
    }
    private static let members = Lock<Members>(Members())

    /// Whether the calling thread is one where blocking is fine.
    package static var mayBlockHere: Bool {
        let thread = Posix.currentThreadID
        return members.withLock { $0.threads.contains(thread) }
    }

    /// Runs `body` with the calling thread counted as one that may block. Nested use is fine.
    package static func admit<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        let thread = Posix.currentThreadID
        members.withLock { $0.threads.append(thread) }
        defer {
            members.withLock { members in
                if let index = members.threads.lastIndex(of: thread) { members.threads.remove(at: index) }
            }
        }
        return try body()
    }
}
