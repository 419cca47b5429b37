import BerthClient
import BerthService
import Testing

/// A one-shot gate an operation waits on, opened by the test (no sleeps, no timing).
actor Gate {
    private var isOpen = false
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private(set) var arrivals = 0

    func wait() async {
        arrivals += 1
        if isOpen { return }
        await withCheckedContinuation { waiters.append($0) }
    }

    func open() {
        isOpen = true
        for waiter in waiters { waiter.resume() }
        waiters = []
    }
}

actor EventLog {
    private(set) var events: [String] = []
    func record(_ event: String) { events.append(event) }
}

/// Per-image serialization: the queue itself, and concurrent calls through the service.
@Suite("Per-image operation queue")
struct OperationQueueTests {
    @Test func keysAreImageBaseNames() {
        #expect(ImageOperationQueue.key(for: "/var/lib/portables/foo_1.raw") == "foo")
        #expect(ImageOperationQueue.key(for: "foo_2") == "foo")
        #expect(ImageOperationQueue.key(for: "/srv/bar/") == "bar")
        #expect(ImageOperationQueue.key(for: "app.sysext.raw") == "app")
    }

    @Test func operationsOnOneImageRunOneAfterTheOther() async throws {
        let queue = ImageOperationQueue()
        let gate = Gate()
        let log = EventLog()
        async let first: Void = queue.run(key: "foo") {
            await log.record("first started")
            await gate.wait()
            await log.record("first finished")
        }
        // Wait until the first operation is inside (and holds the image).
        while await gate.arrivals == 0 { await Task.yield() }
        async let second: Void = queue.run(key: "foo") { await log.record("second started") }
        // Give the second every chance to start early; it must not.
        for _ in 0..<1000 { await Task.yield() }
        #expect(await log.events == ["first started"])
        await gate.open()
        _ = try await (first, second)
        #expect(await log.events == ["first started", "first finished", "second started"])
    }

    @Test func operationsOnDifferentImagesRunInParallel() async throws {
        let queue = ImageOperationQueue()
        let gate = Gate()
        async let blocked: Void = queue.run(key: "foo") { await gate.wait() }
        while await gate.arrivals == 0 { await Task.yield() }
        // Completes while "foo" is still blocked: a serializing queue would deadlock here.
        let other = try await queue.run(key: "bar") { "bar done" }
        #expect(other == "bar done")
        await gate.open()
        try await blocked
    }

    @Test func aFullQueueRefusesMoreWork() async throws {
        let queue = ImageOperationQueue(limit: 1)
        let gate = Gate()
        async let blocked: Void = queue.run(key: "foo") { await gate.wait() }
        while await gate.arrivals == 0 { await Task.yield() }
        await #expect(throws: ImageOperationQueue.Overloaded.self) {
            try await queue.run(key: "bar") {}
        }
        await gate.open()
        try await blocked
        #expect(await queue.count == 0)
    }

    @Test func concurrentAttachesOfOneImageAreSerializedNotLocked() async throws {
        try await ServiceHarness.with { harness in
            try harness.makeImage("demo")
            var clients: [Portable.Client] = []
            for _ in 0..<6 { clients.append(try await harness.client()) }
            let outcomes = await withTaskGroup(of: String.self) { group in
                for client in clients {
                    group.addTask {
                        do {
                            _ = try await client.attachImage(image: "demo")
                            return "attached"
                        } catch let error as Portable.Error {
                            if case .unitExists = error { return "exists" }
                            return "\(error)"
                        } catch {
                            return "\(error)"
                        }
                    }
                }
                var results: [String] = []
                for await outcome in group { results.append(outcome) }
                return results.sorted()
            }
            // Serialized: the first attaches, the others find its units and get UnitExists (as portabled
            // answers a re-attach without --force); without the queue they would fail with ImageLocked.
            #expect(outcomes == ["attached", "exists", "exists", "exists", "exists", "exists"], "\(outcomes)")
            #expect(harness.exists("/etc/systemd/system.attached/demo.service"))
            #expect(try await harness.client().getImageState(image: "demo").state == .attached)
        }
    }

    @Test func concurrentAttachesOfDifferentImagesAllSucceed() async throws {
        try await ServiceHarness.with { harness in
            let names = (0..<6).map { "app\($0)" }
            for name in names { try harness.makeImage(name, units: ServiceFixtures.units(prefix: name)) }
            var clients: [(String, Portable.Client)] = []
            for name in names { clients.append((name, try await harness.client())) }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (name, client) in clients {
                    group.addTask { _ = try await client.attachImage(image: name) }
                }
                try await group.waitForAll()
            }
            for name in names {
                #expect(harness.exists("/etc/systemd/system.attached/\(name).service"))
            }
        }
    }
}
