import SystemCalls

#if canImport(Glibc)
import Glibc
#endif

/// inotify on the directories whose changes can change an image's state, read on one dedicated thread
/// (one per service, however many watchers); every batch of relevant events calls `changed` once.
///
/// A directory that does not exist yet is caught by watching its nearest existing ancestor for the
/// next path component only (so /run's churn does not count). The attached directories are watched
/// one level deep too, because attach writes into `<unit>.d`. After every batch the watch set is
/// recomputed, so directories created or removed meanwhile are picked up.
final class DirectoryWatcher: Sendable {
    private let wakeFD: Int32

    /// Starts watching `recursive` (and their subdirectories) and `flat` (host paths).
    init(recursive: [String], flat: [String], changed: @escaping @Sendable () -> Void) throws(SystemCallError) {
        let inotifyFD = try Linux.inotifyInit()
        let wakeFD: Int32
        do { wakeFD = try Linux.eventFD() } catch {
            Posix.close(inotifyFD)
            throw error
        }
        self.wakeFD = wakeFD
        var watches = WatchSet(inotifyFD: inotifyFD, recursive: recursive, flat: flat)
        watches.rearm()
        do {
            // The thread keeps `self` (and so the wake descriptor) alive until it ends.
            try Posix.startThread { [self, watches] in
                var watches = watches
                Self.run(watches: &watches, wakeFD: wakeFD, changed: changed)
                Posix.close(inotifyFD)
                withExtendedLifetime(self) {}
            }
        } catch {
            Posix.close(inotifyFD)
            throw error
        }
    }

    deinit {
        Posix.close(wakeFD)
    }

    /// Ends the thread; it closes its descriptors on the way out.
    func stop() {
        Linux.eventFDSignal(wakeFD)
    }

    private static func run(watches: inout WatchSet, wakeFD: Int32, changed: @Sendable () -> Void) {
        var entries = [
            Posix.PollEntry(fd: watches.inotifyFD, events: Int16(POLLIN)),
            Posix.PollEntry(fd: wakeFD, events: Int16(POLLIN)),
        ]
        while true {
            do { try Posix.poll(&entries, timeoutMilliseconds: -1) } catch { return }
            if entries[1].returnedEvents != 0 { return }
            guard entries[0].returnedEvents != 0 else { continue }
            var relevant = false
            while let events = try? Linux.readInotifyEvents(watches.inotifyFD), !events.isEmpty {
                for event in events where watches.isRelevant(event) { relevant = true }
            }
            guard relevant else { continue }
            watches.rearm()
            changed()
        }
    }
}

/// The watch descriptors and what each is for; touched by the watcher thread only.
private struct WatchSet {
    let inotifyFD: Int32
    let recursive: [String]
    let flat: [String]
    /// Watch descriptor → the entry names that matter there (nil: all of them).
    var interest: [Int32: Set<String>?] = [:]

    init(inotifyFD: Int32, recursive: [String], flat: [String]) {
        self.inotifyFD = inotifyFD
        self.recursive = recursive
        self.flat = flat
    }

    func isRelevant(_ event: InotifyEvent) -> Bool {
        if event.mask.contains(.queueOverflow) { return true }
        guard let names = interest[event.watch] else { return false }
        guard let names else { return true }
        return names.contains(event.name)
    }

    /// Recomputes the watch set from the file system; drops watches no longer wanted.
    mutating func rearm() {
        var wanted: [Int32: Set<String>?] = [:]
        func add(_ path: String, names: Set<String>?) {
            guard let watch = try? Linux.inotifyAddWatch(inotifyFD, path: path, mask: Self.mask) else { return }
            switch (wanted[watch], names) {
            case (.none, _): wanted[watch] = names
            case (.some(.some(let old)), .some(let new)): wanted[watch] = .some(old.union(new))
            default: wanted[watch] = .some(nil)
            }
        }
        for path in recursive + flat {
            if Self.isDirectory(path) {
                add(path, names: nil)
            } else if let (ancestor, next) = Self.nearestExistingAncestor(of: path) {
                add(ancestor, names: [next])
            }
        }
        for path in recursive where Self.isDirectory(path) {
            for name in Self.subdirectories(of: path) { add(path + "/" + name, names: nil) }
        }
        for watch in interest.keys where wanted[watch] == nil {
            Linux.inotifyRemoveWatch(inotifyFD, watch: watch)
        }
        interest = wanted
    }

    private static let mask: InotifyMask = InotifyMask.directoryChanges.union([.onlyDirectory])

    private static func isDirectory(_ path: String) -> Bool {
        (try? FileDescriptor.currentWorkingDirectory.status(of: path, followSymlinks: true))?.kind == .directory
    }

    private static func nearestExistingAncestor(of path: String) -> (String, String)? {
        var child = path
        while let slash = child.lastIndex(of: "/"), child != "/" {
            let parent = slash == child.startIndex ? "/" : String(child[..<slash])
            let name = String(child[child.index(after: slash)...])
            if isDirectory(parent) { return (parent, name) }
            child = parent
        }
        return nil
    }

    private static func subdirectories(of path: String) -> [String] {
        guard let fd = try? FileDescriptor.currentWorkingDirectory.openat(path, flags: [.directory, .readOnly]) else {
            return []
        }
        defer { fd.close() }
        return ((try? fd.directoryEntries()) ?? []).filter { $0.kind == .directory }.map(\.name)
    }
}
