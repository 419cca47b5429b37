import Synchronization
import SystemCalls

/// Remembers images whose hash tree was verified in full, so repeated opens of an unchanged image
/// skip the whole-image read.
///
/// The key pins the exact bytes that were checked: identity (device, inode, size, mtime, ctime) of the
/// image and of an external hash file, the data region, and the root hash; for a signed image also
/// the signature and the identities of the trusted certificate files it was checked against. Any
/// rewrite, replacement, different root hash, signature or certificate set misses the cache and is
/// verified again.
package final class VerityCache: Sendable {
    package struct Key: Hashable, Sendable {
        package var image: FileIdentity
        package var hashFile: FileIdentity?
        package var dataOffset: UInt64
        package var dataSize: UInt64
        package var hashOffset: UInt64
        package var rootHash: [UInt8]
        package var signature: [UInt8]?
        package var trustedCertificates: [FileIdentity]
    }

    /// The process-wide cache the daemon uses by default.
    package static let shared = VerityCache()

    private let verified = Lock<Set<Key>>([])
    /// Bounded so a stream of distinct images cannot grow it without limit.
    private let capacity: Int

    package init(capacity: Int = 1024) {
        self.capacity = capacity
    }

    package func contains(_ key: Key) -> Bool {
        verified.withLock { $0.contains(key) }
    }

    package func insert(_ key: Key) {
        verified.withLock { set in
            if set.count >= capacity { set.removeAll() }
            set.insert(key)
        }
    }

    package func removeAll() {
        verified.withLock { $0.removeAll() }
    }

    package var count: Int { verified.withLock { $0.count } }
}
