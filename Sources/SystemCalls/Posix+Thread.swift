#if canImport(Glibc)
import Glibc
#endif

extension Posix {
    /// Starts a detached OS thread running `body`; used for I/O loops that must not occupy the
    /// cooperative pool. The corresponding C function is `pthread_create`.
    public static func startThread(_ body: @escaping @Sendable () -> Void) throws(SystemCallError) {
        final class Box: @unchecked Sendable {  // handed to exactly one thread, then released by it
            let body: @Sendable () -> Void
            init(_ body: @escaping @Sendable () -> Void) { self.body = body }
        }
        let context = Unmanaged.passRetained(Box(body)).toOpaque()
        var thread = pthread_t()
        let result = pthread_create(
            &thread,
            nil,
            { raw in
                let box = Unmanaged<AnyObject>.fromOpaque(raw!).takeRetainedValue() as! Box
                box.body()
                return nil
            },
            context
        )
        if result != 0 {
            Unmanaged<AnyObject>.fromOpaque(context).release()
            throw SystemCallError(call: "pthread_create", errno: result)
        }
        pthread_detach(thread)
    }

    /// An identifier of the calling thread, comparable with `==`. The corresponding C function is `pthread_self`.
    public static var currentThreadID: UInt { UInt(pthread_self()) }
}
