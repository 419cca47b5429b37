#if canImport(Glibc)
import Glibc
#endif

extension [UInt8] {
    /// The index of the first NUL (the Varlink message terminator) at or after `position`, or `nil`
    /// when the buffered bytes hold no complete message yet. Client and server split their input with
    /// it; `memchr` keeps the scan fast on large messages.
    func indexOfMessageEnd(from position: Int) -> Int? {
        withUnsafeBufferPointer { buffer in
            guard position < buffer.count else { return nil }
            let from = buffer.baseAddress! + position
            guard let hit = memchr(from, 0, buffer.count - position) else { return nil }
            return position + (UnsafeRawPointer(hit) - UnsafeRawPointer(from))
        }
    }
}
