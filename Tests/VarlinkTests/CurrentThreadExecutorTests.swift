import SystemCalls
import Testing
import Varlink

@Suite("CurrentThreadExecutor")
struct CurrentThreadExecutorTests {
    /// Resumes from a thread of its own, as the clients' I/O loop does.
    private static func resumeFromAnotherThread(_ value: Int) async -> (value: Int, resumer: UInt) {
        await withCheckedContinuation { continuation in
            try! Posix.startThread { continuation.resume(returning: (value, Posix.currentThreadID)) }
        }
    }

    private actor Counter {
        var value = 0
        func add(_ amount: Int) -> Int {
            value += amount
            return value
        }
    }

    @Test("the task runs on the calling thread, also after resumptions from other threads")
    func staysOnTheCallingThread() {
        let caller = Posix.currentThreadID
        let observed = CurrentThreadExecutor.run { () -> [UInt] in
            var threads = [Posix.currentThreadID]
            for round in 0..<50 {
                let (value, resumer) = await Self.resumeFromAnotherThread(round)
                precondition(value == round && resumer != caller)
                threads.append(Posix.currentThreadID)
            }
            return threads
        }
        #expect(observed.count == 51)
        #expect(observed.allSatisfy { $0 == caller })
    }

    @Test("child tasks prefer it too; actors and detached tasks still work")
    func structuredChildrenAndOtherExecutors() {
        let caller = Posix.currentThreadID
        let (sum, childThreads, total) = CurrentThreadExecutor.run { () -> (Int, Set<UInt>, Int) in
            let (sum, threads) = await withTaskGroup(of: (Int, UInt).self) { group in
                for index in 1...20 { group.addTask { (index, Posix.currentThreadID) } }
                var sum = 0
                var threads: Set<UInt> = []
                for await (value, thread) in group {
                    sum += value
                    threads.insert(thread)
                }
                return (sum, threads)
            }
            let counter = Counter()
            var total = 0
            for _ in 0..<10 { total = await counter.add(1) }
            total += await Task.detached { 5 }.value
            return (sum, threads, total)
        }
        #expect(sum == 210)
        #expect(childThreads == [caller])
        #expect(total == 15)
    }

    @Test("the driven thread may block; a Task {} it starts (on the pool) and the thread afterwards may not")
    func mayBlockOnlyWhileDriving() {
        #expect(!BlockingThreads.mayBlockHere)
        let (inside, unstructured) = CurrentThreadExecutor.run { () -> (Bool, Bool) in
            (BlockingThreads.mayBlockHere, await Task { BlockingThreads.mayBlockHere }.value)
        }
        #expect(inside)
        #expect(!unstructured)
        #expect(!BlockingThreads.mayBlockHere)
    }

    @Test("returns each call's own result, many times over")
    func repeatedRuns() {
        for round in 0..<200 {
            #expect(CurrentThreadExecutor.run { await Self.resumeFromAnotherThread(round).value } == round)
        }
    }
}
