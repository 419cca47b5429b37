import BerthService
import SystemCalls
import Testing
import Varlink

#if canImport(Glibc)
import Glibc
#endif

@Suite("Engine executor")
struct EngineExecutorTests {
    @Test("on a thread that may block (berthctl's main thread) engine work runs in place")
    func inPlaceWhereBlockingIsFine() {
        let caller = Posix.currentThreadID
        let threads = CurrentThreadExecutor.run { () -> [UInt] in
            let outer = try? await EngineExecutor.run { () -> [UInt] in
                [Posix.currentThreadID, try await EngineExecutor.run { Posix.currentThreadID }]
            }
            return (outer ?? []) + [Posix.currentThreadID]
        }
        #expect(threads == [caller, caller, caller])
    }

    @Test("behind the per-image queue too: berthctl --root's engine work stays on its thread")
    func inPlaceThroughTheQueue() {
        let caller = Posix.currentThreadID
        let queue = ImageOperationQueue()
        let thread = CurrentThreadExecutor.run { () -> UInt? in
            try? await queue.run(key: "foo") { try await EngineExecutor.run { Posix.currentThreadID } }
        }
        #expect(thread == caller)
    }

    @Test("from the cooperative pool, engine work runs on threads that may block; the caller's may not")
    func offThePool() async throws {
        let (inside, nested) = try await EngineExecutor.run { () -> (Bool, Bool) in
            (BlockingThreads.mayBlockHere, try await EngineExecutor.run { BlockingThreads.mayBlockHere })
        }
        #expect(inside)
        #expect(nested)
        #expect(!BlockingThreads.mayBlockHere)
        #expect(try await EngineExecutor.run { BlockingThreads.mayBlockHere })
    }

    @Test("blocking jobs run side by side, as many at once as the executor has threads")
    func threadLimit() async throws {
        let executor = EngineExecutor(maximumThreads: 4)
        let start = ContinuousClock.now
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask(executorPreference: executor) { usleep(200_000) }
            }
        }
        let elapsed = ContinuousClock.now - start
        // 8 jobs of 200 ms on 4 threads: two rounds. One thread would take 1.6 s, eight 0.2 s.
        #expect(elapsed >= .milliseconds(400))
        #expect(elapsed < .milliseconds(1200))
    }
}
