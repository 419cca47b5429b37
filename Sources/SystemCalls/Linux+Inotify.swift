#if canImport(Glibc)
import Glibc
#endif

/// What an inotify watch reports (`IN_*` bits).
public struct InotifyMask: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let modify = InotifyMask(rawValue: 0x0000_0002)
    public static let attributes = InotifyMask(rawValue: 0x0000_0004)
    public static let closeWrite = InotifyMask(rawValue: 0x0000_0008)
    public static let movedFrom = InotifyMask(rawValue: 0x0000_0040)
    public static let movedTo = InotifyMask(rawValue: 0x0000_0080)
    public static let create = InotifyMask(rawValue: 0x0000_0100)
    public static let delete = InotifyMask(rawValue: 0x0000_0200)
    public static let deleteSelf = InotifyMask(rawValue: 0x0000_0400)
    public static let moveSelf = InotifyMask(rawValue: 0x0000_0800)
    /// Set by the kernel: events were lost because the queue overflowed.
    public static let queueOverflow = InotifyMask(rawValue: 0x0000_4000)
    /// Set by the kernel: the watch is gone (its directory was deleted or unmounted).
    public static let ignored = InotifyMask(rawValue: 0x0000_8000)
    /// Set by the kernel: the entry named is a directory.
    public static let isDirectory = InotifyMask(rawValue: 0x4000_0000)
    /// Only watch `path` if it is a directory.
    public static let onlyDirectory = InotifyMask(rawValue: 0x0100_0000)
    /// Do not follow a symlink at `path`.
    public static let doNotFollow = InotifyMask(rawValue: 0x0200_0000)

    /// Every change of a directory's entries or of the files in it.
    public static let directoryChanges: InotifyMask = [
        .modify, .attributes, .closeWrite, .movedFrom, .movedTo, .create, .delete, .deleteSelf, .moveSelf,
    ]
}

/// One event read from an inotify descriptor.
public struct InotifyEvent: Sendable, Hashable {
    /// The watch descriptor `inotifyAddWatch` returned.
    public var watch: Int32
    public var mask: InotifyMask
    /// The entry's name inside the watched directory; empty for events on the directory itself.
    public var name: String
}

extension Linux {
    /// A non-blocking, close-on-exec inotify descriptor. The corresponding C function is `inotify_init1`.
    public static func inotifyInit() throws(SystemCallError) -> Int32 {
        try Syscall.retrying("inotify_init1") { inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC)) }
    }

    /// Watches `path` (adding to the mask of an existing watch of the same inode); returns the watch
    /// descriptor. The corresponding C function is `inotify_add_watch`.
    public static func inotifyAddWatch(_ fd: Int32, path: String, mask: InotifyMask) throws(SystemCallError) -> Int32 {
        try Syscall.retrying("inotify_add_watch", detail: path) { inotify_add_watch(fd, path, mask.rawValue) }
    }

    /// Removes a watch; a watch the kernel already dropped is not an error worth reporting.
    /// The corresponding C function is `inotify_rm_watch`.
    public static func inotifyRemoveWatch(_ fd: Int32, watch: Int32) {
        _ = inotify_rm_watch(fd, watch)
    }

    /// Reads the events queued on a non-blocking inotify descriptor; empty when none is queued.
    /// The corresponding C function is `read`.
    public static func readInotifyEvents(_ fd: Int32) throws(SystemCallError) -> [InotifyEvent] {
        // Room for many events at once; one event is at most 16 bytes plus NAME_MAX + 1.
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        // withUnsafeMutableBytes only rethrows untyped errors, so the call reports through a Result.
        let result: Result<IOResult<Int>, SystemCallError> = buffer.withUnsafeMutableBytes { bytes in
            Result { () throws(SystemCallError) in try Posix.read(fd, into: bytes) }
        }
        let read = try result.get()
        guard case .done(let count) = read else { return [] }
        var events: [InotifyEvent] = []
        var offset = 0
        let headerSize = MemoryLayout<inotify_event>.size
        buffer.withUnsafeBytes { bytes in
            while offset + headerSize <= count {
                let watch = bytes.loadUnaligned(fromByteOffset: offset, as: Int32.self)
                let mask = bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)
                let length = Int(bytes.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
                let nameBytes = bytes[(offset + headerSize)..<min(count, offset + headerSize + length)]
                let name = String(decoding: nameBytes.prefix { $0 != 0 }, as: UTF8.self)
                events.append(InotifyEvent(watch: watch, mask: InotifyMask(rawValue: mask), name: name))
                offset += headerSize + length
            }
        }
        return events
    }
}

extension Posix {
    /// Wall-clock time in microseconds since the epoch. The corresponding C function is
    /// `clock_gettime(CLOCK_REALTIME)`.
    public static func realtimeMicroseconds() -> UInt64 {
        var now = timespec()
        _ = clock_gettime(CLOCK_REALTIME, &now)
        return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1000
    }
}
