/// A failed libcryptsetup call: which call, the negative-errno result and libcryptsetup's own
/// error text (captured through its log callback), so callers can say *why*.
public struct CryptsetupError: Error, Sendable, Equatable, CustomStringConvertible {
    public var call: String
    /// The positive `errno` value derived from the call's negative result.
    public var errno: Int32
    /// The last error line libcryptsetup logged for this device, if any.
    public var message: String?

    public init(call: String, errno: Int32, message: String? = nil) {
        self.call = call
        self.errno = errno
        self.message = message
    }

    public var description: String {
        var text = "\(call) failed (errno \(errno))"
        if let message, !message.isEmpty { text += ": \(message)" }
        return text
    }
}
