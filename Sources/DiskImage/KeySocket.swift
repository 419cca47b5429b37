internal import Cryptsetup
internal import SystemCalls

#if canImport(Glibc)
import Glibc
#endif

/// Fetches a LUKS key from an AF_UNIX stream socket, the way systemd-cryptsetup does for a
/// `keyfile=` that is a socket: connect from an abstract address `@<random>/cryptsetup/<volume>`
/// (so the key server can see which volume asks), then read the key until the server closes.
///
/// Bounded in size and time: a server that never answers cannot hang the caller.
enum KeySocket {
    static let maximumKeySize = 8 * 1024 * 1024
    static let timeoutMilliseconds: Int32 = 10_000

    static func readKey(socketPath: String, volume: String) throws(SystemCallError) -> SecretBytes {
        let socket = try Posix.unixStreamSocket(nonBlocking: true)
        defer { Posix.close(socket) }
        let nonce = hexString((0..<8).map { _ in UInt8.random(in: 0...255) })
        let safeVolume = String(volume.unicodeScalars.filter { $0.isASCII && $0 != "/" && $0.value > 0x20 }.prefix(64))
        try Posix.bindUnix(socket, name: "\(nonce)/cryptsetup/\(safeVolume)", abstract: true)
        try Posix.connectUnix(socket, name: socketPath, abstract: false)

        var key: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        defer { chunk.withUnsafeMutableBytes { explicit_bzero($0.baseAddress!, $0.count) } }
        let deadline = Posix.monotonicNanoseconds() + UInt64(timeoutMilliseconds) * 1_000_000
        while true {
            let now = Posix.monotonicNanoseconds()
            guard now < deadline else { throw SystemCallError(call: "read", errno: ETIMEDOUT, detail: socketPath) }
            let remaining = Int32((deadline - now) / 1_000_000) + 1
            guard try Posix.poll(socket, for: .readable, timeoutMilliseconds: remaining) else { continue }
            let count: Int
            do {
                count = try FileDescriptor(rawValue: socket).read(into: &chunk)
            } catch  where error.errno == EAGAIN {
                continue  // woken without data (spurious or raced): poll again within the deadline
            }
            if count == 0 { break }
            guard key.count + count <= maximumKeySize else {
                key.withUnsafeMutableBytes { explicit_bzero($0.baseAddress!, $0.count) }
                throw SystemCallError(call: "read", errno: EFBIG, detail: socketPath)
            }
            key.append(contentsOf: chunk[0..<count])
        }
        return SecretBytes(key)
    }
}
