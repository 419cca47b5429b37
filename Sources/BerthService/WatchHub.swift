import BerthClient
import Logging
import PortableEngine
import SystemCalls
import Varlink

/// Where PID 1's unit changes come from: berthd subscribes over sd-bus (the Systemd module); without a
/// service manager there is nothing to subscribe to.
package protocol UnitChangeSignals: Sendable {
    /// Calls `changed` on every unit or unit file change PID 1 reports, with the unit it concerns (nil when it
    /// concerns no one unit: unit files changed, a reload), until `stop` is called on the result.
    func subscribe(_ changed: @escaping @Sendable (_ unit: String?) -> Void) throws -> any UnitChangeSubscription
}

/// An active subscription to PID 1's signals.
package protocol UnitChangeSubscription: Sendable {
    func stop()
}

/// The one place watchers are served from: one inotify thread and one PID 1 subscription for all of
/// them (only while at least one is connected), changes debounced and turned into per-image events by
/// comparing two observations, each event handed to every watcher whose filter takes it. PID 1's
/// signals count only when they can change an observation (`UnitSignalFilter`).
///
/// Each event is encoded once and copied into every watching connection's output from here, without
/// waiting and without a task per watcher: one that stops reading is dropped by the server's output
/// cap, never slowing the others. In-process watchers (a handler sink) get a stream instead.
actor WatchHub {
    private let engine: PortableEngine
    private let unitSignals: (any UnitChangeSignals)?
    private let logger: Logger
    /// How long a burst of changes must pause before it is compared (an attach writes several files).
    private let settleTime: Duration

    private struct Watcher {
        var images: Set<NameOrder.Key>?
        var sink: Portable.ReplySink<Portable.WatchImagesReply>
        var continuation: AsyncStream<Portable.ImageEvent>.Continuation

        func send(_ event: Portable.ImageEvent, encoded: VarlinkEncodedReply) {
            if !sink.offer(encoded: encoded) { continuation.yield(event) }
        }
    }
    private var watchers: [UInt64: Watcher] = [:]
    private var nextWatcherID: UInt64 = 0
    /// The last observation, the base the next one is compared to (valid while `sources` runs).
    private var images: [NameOrder.Key: WatchedImage] = [:]
    private var sources: (directories: DirectoryWatcher, units: (any UnitChangeSubscription)?)?
    private var starting: Task<Void, Never>?
    private var startFailure: String?
    private var isDirty = false
    /// When the oldest change not yet reported was seen: the events' timestamp.
    private var dirtySince: UInt64?
    private var isScanning = false
    private let unitFilter = UnitSignalFilter()

    init(engine: PortableEngine, unitSignals: (any UnitChangeSignals)?, logger: Logger, settleTime: Duration) {
        self.engine = engine
        self.unitSignals = unitSignals
        self.logger = logger
        self.settleTime = settleTime
    }

    /// Registers a watcher: it first gets one snapshot event per image (taken after the change sources
    /// run, so nothing falls between the snapshot and the first change). Events go to `sink` when it is
    /// a connection's, else into the returned stream.
    func subscribe(
        images: [String]?,
        sink: Portable.ReplySink<Portable.WatchImagesReply>
    ) async throws -> (id: UInt64, events: AsyncStream<Portable.ImageEvent>) {
        try await startSources()
        nextWatcherID += 1
        let id = nextWatcherID
        let (stream, continuation) = AsyncStream<Portable.ImageEvent>.makeStream()
        let filter = images.map { Set($0.map(NameOrder.Key.init)) }
        let watcher = Watcher(images: filter, sink: sink, continuation: continuation)
        let now = Posix.realtimeMicroseconds()
        let current = self.images.values.filter { filter?.contains(NameOrder.Key($0.name)) ?? true }
            .sorted(byName: \.name)
        for event in ImageEventDiff.snapshot(current, timestamp: now) {
            watcher.send(event, encoded: Self.encode(event))
        }
        watchers[id] = watcher
        return (id, stream)
    }

    func unsubscribe(_ id: UInt64) {
        watchers.removeValue(forKey: id)?.continuation.finish()
        guard watchers.isEmpty, let running = sources else { return }
        running.directories.stop()
        running.units?.stop()
        sources = nil
        images = [:]
    }

    var watcherCount: Int { watchers.count }

    /// Called from PID 1's signal thread: a change only when it concerns an attached unit.
    nonisolated func unitChanged(_ unit: String?) {
        if unitFilter.admits(unit) { changed() }
    }

    /// Called from the inotify thread (and for PID 1's signals that count).
    nonisolated func changed() {
        let seen = Posix.realtimeMicroseconds()
        Task { await self.markDirty(seen: seen) }
    }

    // MARK: - Internal

    private func startSources() async throws {
        if sources != nil && starting == nil { return }
        if let starting { return await starting.value }
        let task = Task { await self.start() }
        starting = task
        await task.value
        starting = nil
        guard sources != nil else {
            throw Portable.Error.notSupported(reason: startFailure ?? "cannot watch the image directories")
        }
    }

    private func start() async {
        let directories = engine.watchedDirectories
        let tree = engine.tree
        do {
            let watcher = try DirectoryWatcher(
                recursive: directories.attached.map(tree.displayPath),
                flat: directories.other.map(tree.displayPath),
                changed: { [weak self] in self?.changed() }
            )
            var units: (any UnitChangeSubscription)? = nil
            do {
                units = try unitSignals?.subscribe { [weak self] unit in self?.unitChanged(unit) }
            } catch {
                logger.warning("watch: cannot subscribe to PID 1's unit signals: \(error)")
            }
            sources = (watcher, units)
        } catch {
            startFailure = "cannot watch the image directories: \(error)"
            logger.error("watch: cannot watch the image directories: \(error)")
            return
        }
        images = await observe()
    }

    /// Reads every image's state; a PID 1 signal that the filter ignored meanwhile but that concerns a
    /// unit this observation finds attached marks the hub dirty again.
    private func observe() async -> [NameOrder.Key: WatchedImage] {
        let engine = engine
        let mark = unitFilter.observationStarts()
        let list = (try? await EngineExecutor.run { await engine.watchedImages() }) ?? []
        let attachedUnits = Set(list.flatMap { $0.units.map(\.name) })
        if unitFilter.observationEnded(since: mark, attachedUnits: attachedUnits) { changed() }
        return Dictionary(list.map { (NameOrder.Key($0.name), $0) }, uniquingKeysWith: { first, _ in first })
    }

    private func markDirty(seen: UInt64) async {
        isDirty = true
        if dirtySince == nil { dirtySince = seen }
        guard !isScanning, sources != nil else { return }
        isScanning = true
        defer { isScanning = false }
        while isDirty && sources != nil {
            // Wait for a quiet moment (an operation writes its files over several milliseconds, and
            // half an operation must not become an event), but not longer than ten settle times.
            let latest = ContinuousClock.now + settleTime * 10
            repeat {
                isDirty = false
                try? await Task.sleep(for: settleTime)
            } while isDirty && ContinuousClock.now < latest
            isDirty = false
            let seen = dirtySince ?? Posix.realtimeMicroseconds()
            dirtySince = nil
            let observed = await observe()
            guard sources != nil else { return }
            let events = ImageEventDiff.events(from: images, to: observed, timestamp: seen)
            images = observed
            for event in events { broadcast(event) }
        }
    }

    private func broadcast(_ event: Portable.ImageEvent) {
        let encoded = Self.encode(event)
        var connections: [VarlinkReply] = []
        for watcher in watchers.values where watcher.images?.contains(NameOrder.Key(event.image)) ?? true {
            if let reply = watcher.sink.connectionReply {
                connections.append(reply)
            } else {
                watcher.continuation.yield(event)
            }
        }
        // One hand-over to the I/O thread for every connection, not one each.
        VarlinkReply.notify(connections, encoded: encoded)
    }

    private static func encode(_ event: Portable.ImageEvent) -> VarlinkEncodedReply {
        VarlinkEncodedReply(Portable.WatchImagesReply(event: event).jsonObject)
    }
}
