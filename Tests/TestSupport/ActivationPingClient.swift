import Glibc

/// A minimal Varlink client speaking raw NUL-framed JSON over a fresh connection per call.
///
/// Deliberately not the project's client: the activation test must fail only because of the
/// daemon, and it must see exactly what happened (refused, reset, closed without reply).
package enum ActivationPingClient {
    /// What one call saw.
    package enum Outcome: Equatable, CustomStringConvertible {
        case reply(String)
        case connectFailed(String)
        case closedWithoutReply
        case ioError(String)

        /// A reply that is not an error (`{}` or `{"parameters":...}`: both are valid Varlink).
        package var isSuccess: Bool {
            guard case .reply(let text) = self else { return false }
            return text.hasPrefix("{") && !text.contains("\"error\"")
        }

        package var description: String {
            switch self {
            case .reply(let text): return "reply \(text)"
            case .connectFailed(let text): return "connect failed: \(text)"
            case .closedWithoutReply: return "connection closed without a reply"
            case .ioError(let text): return "I/O error: \(text)"
            }
        }
    }

    /// Connects to `path`, sends `{"method": method, "parameters": parameters}` and reads one reply.
    package static func call(path: String, method: String, parametersJSON: String = "{}") -> Outcome {
        let fd: Int32
        do {
            fd = try ActivationSocket.connect(path: path)
        } catch {
            return .connectFailed(error.description)
        }
        defer { close(fd) }
        var request = Array("{\"method\":\"\(method)\",\"parameters\":\(parametersJSON)}".utf8)
        request.append(0)
        var sent = 0
        while sent < request.count {
            let written = request[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written < 0 {
                if errno == EINTR { continue }
                return .ioError("send: \(String(cString: strerror(errno)))")
            }
            sent += written
        }
        var reply: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0 {
                if errno == EINTR { continue }
                return .ioError("recv: \(String(cString: strerror(errno)))")
            }
            if count == 0 { return .closedWithoutReply }
            if let end = chunk[0..<count].firstIndex(of: 0) {
                reply.append(contentsOf: chunk[0..<end])
                return .reply(String(decoding: reply, as: UTF8.self))
            }
            reply.append(contentsOf: chunk[0..<count])
        }
    }
}
