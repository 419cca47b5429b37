#if BERTH_TSAN
#if canImport(Glibc)
import Glibc
#endif

/// The lock of ThreadSanitizer builds (`-Xswiftc -DBERTH_TSAN`; scripts/sanitizers.sh thread): a pthread
/// mutex, whose lock and unlock TSan intercepts. `Synchronization.Mutex` calls futex directly on
/// Linux, which TSan cannot see, so it reports every access made under such a lock as a race (shown
/// by a two-thread counter that ends exact yet is flagged). Same API as `Mutex`, so call sites do not
/// change between builds.
public final class Lock<Value: ~Copyable>: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    // Kept out of the object: an inout access to a zero-sized stored property (`Lock<Void>`) is
    // instrumented at the object's own address and collides with reads of its header.
    private let value: UnsafeMutablePointer<Value>

    public init(_ initialValue: consuming sending Value) {
        mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        value = UnsafeMutablePointer<Value>.allocate(capacity: 1)
        value.initialize(to: initialValue)
    }

    deinit {
        value.deinitialize(count: 1)
        value.deallocate()
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    public func withLock<Result: ~Copyable, E: Error>(
        _ body: (inout sending Value) throws(E) -> sending Result
    ) throws(E) -> sending Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value.pointee)
    }
}
#else
public import Synchronization

/// The lock every module uses. `Synchronization.Mutex` in normal builds; a pthread-based lock with
/// the same API in ThreadSanitizer builds, where TSan could not see through `Mutex`'s futex calls.
public typealias Lock<Value: ~Copyable> = Mutex<Value>
#endif
