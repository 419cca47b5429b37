import SystemCalls

#if canImport(Glibc)
import Glibc
#endif

/// A per-image lock: `flock` on `<lock dir>/<image base name>.lock`, so it also serializes against other
/// processes (berthd and `berthctl --root` on the same tree). Released when the object goes away.
final class ImageLock: Sendable {
    private let descriptor: FileDescriptor

    private init(descriptor: FileDescriptor) {
        self.descriptor = descriptor
    }

    deinit {
        descriptor.unlock()
        descriptor.close()
    }

    /// The lock file's name for a key; keys are image base names, escaped so any name is one file name.
    static func fileName(for key: String) -> String {
        PortableDropIn.escape(key).replacingSlashes() + ".lock"
    }

    /// Tries once; nil when another holder has it.
    static func attempt(tree: HostTree, directory: String, key: String) throws(PortableError) -> ImageLock? {
        let path = PortableNames.join(directory, fileName(for: key))
        do {
            try tree.makeDirectories(directory)
            let fd = try tree.open(path, flags: [.readWrite, .create, .noFollow], mode: 0o600)
            if try fd.lock(.exclusive, wait: false) { return ImageLock(descriptor: fd) }
            fd.close()
            return nil
        } catch {
            throw .systemError(operation: "lock", path: tree.displayPath(path), error: error)
        }
    }

    /// Waits for the lock without blocking a thread of the cooperative pool (polls with a short sleep).
    static func acquire(tree: HostTree, directory: String, key: String) async throws(PortableError) -> ImageLock {
        var delay: UInt64 = 1_000_000
        while true {
            if let lock = try attempt(tree: tree, directory: directory, key: key) { return lock }
            do { try await Task.sleep(nanoseconds: delay) } catch { throw .imageLocked(image: key) }
            delay = min(delay * 2, 50_000_000)
        }
    }
}

extension String {
    fileprivate func replacingSlashes() -> String {
        String(map { $0 == "/" ? "_" : $0 })
    }
}
