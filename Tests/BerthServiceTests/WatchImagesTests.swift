import BerthClient
import Foundation
import Synchronization
import TestSupport
import Testing
import Varlink

/// io.berth.Portable.WatchImages over a real socket on a real offline tree: the snapshot, then one
/// event per change whoever made it, the name filter, `more` required, and a watcher that stops reading
/// dropped while another keeps getting events.
@Suite("WatchImages", .serialized)
struct WatchImagesTests {
    @Test func snapshotFirstThenAttachAndDetach() async throws {
        try await ServiceHarness.with { harness in
            let image = try harness.makeImage("demo")
            try harness.makeImage("other")
            let watcher = try await WatchRecorder(harness)
            let snapshot = try await watcher.waitFor(count: 2)
            #expect(snapshot.map(\.kind) == [.snapshot, .snapshot])
            #expect(snapshot.map(\.image) == ["demo", "other"])
            #expect(snapshot.allSatisfy { $0.state == .detached && $0.units.isEmpty })

            let client = try await harness.client()
            _ = try await client.attachImage(image: image)
            let attached = try await watcher.waitFor(count: 3)[2]
            #expect(attached.kind == .attached)
            #expect(attached.image == "demo")
            #expect(attached.state == .attached)
            #expect(attached.units.map(\.name) == ["demo.service", "demo.socket"])
            #expect(attached.units.allSatisfy { $0.activeState == "inactive" && $0.unitFileState == nil })
            #expect(attached.timestamp > snapshot[0].timestamp - 1_000_000)

            _ = try await client.detachImage(image: image)
            let detached = try await watcher.waitFor(count: 4)[3]
            #expect(detached.kind == .detached)
            #expect(detached.state == .detached && detached.units.isEmpty)
            // One change, one event: nothing else arrives for either operation.
            try await Task.sleep(for: .milliseconds(300))
            #expect(watcher.events.count == 4, "\(watcher.events.map { "\($0.kind) \($0.image)" })")
            watcher.stop()
        }
    }

    @Test func handEditsOfTheAttachedDirectoryAndThePoolAreEvents() async throws {
        try await ServiceHarness.with { harness in
            let image = try harness.makeImage("demo")
            _ = try await harness.client().attachImage(image: image, runtime: true)
            let watcher = try await WatchRecorder(harness)
            let snapshot = try await watcher.waitFor(count: 1)
            #expect(snapshot[0].state == .attachedRuntime)

            // An administrator removes the attachment by hand.
            let attached = harness.root + "/run/systemd/system.attached"
            for entry in try FileManager.default.contentsOfDirectory(atPath: attached) {
                try FileManager.default.removeItem(atPath: attached + "/" + entry)
            }
            let detached = try await watcher.waitFor(count: 2)[1]
            #expect(detached.kind == .detached && detached.image == "demo")

            // A new image copied into the pool, then deleted.
            try harness.makeImage("fresh")
            let added = try await watcher.waitFor(count: 3)[2]
            #expect(added.kind == .added && added.image == "fresh" && added.state == .detached)
            try FileManager.default.removeItem(atPath: harness.root + "/var/lib/portables/fresh")
            let removed = try await watcher.waitFor(count: 4)[3]
            #expect(removed.kind == .removed && removed.image == "fresh")
            watcher.stop()
        }
    }

    @Test func reattachingTheSameImageIsOneReattachedEvent() async throws {
        try await ServiceHarness.with { harness in
            let image = try harness.makeImage("demo")
            let client = try await harness.client()
            _ = try await client.attachImage(image: image)
            let watcher = try await WatchRecorder(harness)
            #expect(try await watcher.waitFor(count: 1)[0].state == .attached)
            _ = try await client.reattachImage(image: image)
            let reattached = try await watcher.waitFor(count: 2)[1]
            #expect(reattached.kind == .reattached && reattached.image == "demo" && reattached.state == .attached)
            try await Task.sleep(for: .milliseconds(200))
            #expect(watcher.events.count == 2, "\(watcher.events.map { "\($0.kind) \($0.image)" })")
            watcher.stop()
        }
    }

    @Test func namedImagesOnly() async throws {
        try await ServiceHarness.with { harness in
            let demo = try harness.makeImage("demo")
            let other = try harness.makeImage("other", units: ServiceFixtures.units(prefix: "other"))
            let watcher = try await WatchRecorder(harness, images: ["other"])
            #expect(try await watcher.waitFor(count: 1).map(\.image) == ["other"])
            let client = try await harness.client()
            _ = try await client.attachImage(image: demo)
            _ = try await client.attachImage(image: other)
            let events = try await watcher.waitFor(count: 2)
            #expect(events[1].image == "other" && events[1].kind == .attached)
            try await Task.sleep(for: .milliseconds(200))
            #expect(watcher.events.count == 2)
            watcher.stop()
        }
    }

    @Test func withoutMoreTheCallFailsWithExpectedMore() async throws {
        try await ServiceHarness.with { harness in
            let client = try await harness.rawClient()
            await #expect(throws: VarlinkRemoteError(name: "org.varlink.service.ExpectedMore")) {
                _ = try await client.call("io.berth.Portable.WatchImages")
            }
            client.close()
        }
    }

    @Test func aWatcherThatStopsReadingIsDroppedAndTheOthersCarryOn() async throws {
        // A snapshot far larger than the socket buffer plus a 16 KiB output cap: the server must drop
        // the silent watcher instead of queueing for it.
        try await ServiceHarness.with(maximumOutputBuffer: 16 << 10) { harness in
            // 1,000 images with long names (~350 bytes of snapshot each), made by one process: quicker
            // than a file call at a time, and removed the same way afterwards.
            let pool = harness.root + "/var/lib/portables"
            let make =
                "import os,sys\nfor i in range(1000):\n d=sys.argv[1]+'/'+'x'*180+'%04d/usr/lib'%i\n"
                + " os.makedirs(d); open(d+'/os-release','w').write('ID=x\\n')"
            #expect(try CLIRunner.run("/usr/bin/python3", ["-c", make, pool]).status == 0)
            defer { _ = try? CLIRunner.run("/bin/rm", ["-rf", pool]) }
            let image = try harness.makeImage("demo")
            let silent = try SilentWatcher(socketPath: harness.socketPath)
            let reader = try await WatchRecorder(harness, images: ["demo"])
            _ = try await reader.waitFor(count: 1)
            #expect(try silent.isClosedByServer(within: .seconds(10)))
            _ = try await harness.client().attachImage(image: image)
            let attached = try await reader.waitFor(count: 2)[1]
            #expect(attached.kind == .attached)
            reader.stop()
        }
    }
}

/// Collects a watcher's events in the background; tests wait for a count.
final class WatchRecorder: Sendable {
    private final class Log: Sendable {
        let events = Mutex<[Portable.ImageEvent]>([])
        let failure = Mutex<(any Error)?>(nil)
    }
    private let log = Log()
    private let task: Task<Void, Never>
    /// Kept for the stream's lifetime: the connection closes with its client.
    private let client: Portable.Client

    init(_ harness: ServiceHarness, images: [String]? = nil) async throws {
        client = try await harness.client()
        let stream = client.watchImagesStream(images: images)
        task = Task { [log] in
            do {
                for try await reply in stream { log.events.withLock { $0.append(reply.event) } }
            } catch {
                log.failure.withLock { $0 = error }
            }
        }
    }

    var events: [Portable.ImageEvent] { log.events.withLock { $0 } }

    /// The events so far once there are at least `count`; fails after `timeout`.
    func waitFor(count: Int, timeout: Duration = .seconds(10)) async throws -> [Portable.ImageEvent] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let events = self.events
            if events.count >= count { return events }
            if let error = log.failure.withLock({ $0 }) { throw error }
            try await Task.sleep(for: .milliseconds(5))
        }
        throw ServiceFixtures.Failure("expected \(count) events, got \(events.map { "\($0.kind) \($0.image)" })")
    }

    func stop() {
        task.cancel()
    }
}

/// A raw connection that calls WatchImages with `more` and never reads.
struct SilentWatcher {
    let process: Process
    let output: Pipe

    init(socketPath: String) throws {
        // A child process, so the test's own threads never block on the socket; after the wait it
        // drains what the kernel buffered and says whether the server closed the connection.
        let script = """
            import socket, sys, time
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(sys.argv[1])
            s.sendall(b'{"method":"io.berth.Portable.WatchImages","more":true}\\0')
            time.sleep(float(sys.argv[2]))
            s.settimeout(2)
            try:
                while s.recv(1 << 20): pass
                print("closed")
            except socket.timeout:
                print("open")
            """
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", script, socketPath, "3"]
        output = Pipe()
        process.standardOutput = output
        try process.run()
    }

    func isClosedByServer(within timeout: Duration) throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning && ContinuousClock.now < deadline { usleep(20_000) }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return text.trimmingCharacters(in: .whitespacesAndNewlines) == "closed"
    }
}
