public import SystemCalls
public import VarlinkJSON

/// One method call as a handler sees it.
public struct VarlinkCall: Sendable {
    /// Fully qualified method name, `interface.Method`.
    public var method: String
    /// The call's parameters (absent and `null` arrive as an empty object).
    public var parameters: JSONObject
    /// The client asked for a stream (`more: true`): send `notify` replies, then a final `reply`.
    public var more: Bool
    /// The client wants no reply at all; the server discards anything the handler sends.
    public var oneway: Bool
    /// The client asked to leave Varlink after the reply (`upgrade: true`).
    public var upgrade: Bool
    /// Who is calling (SO_PEERCRED, fixed when the connection was accepted).
    public var peer: PeerCredentials
    /// Descriptors that arrived with this message (SCM_RIGHTS), in order; JSON refers to them by index.
    /// The server closes them when the call ends: duplicate (`FileDescriptor.duplicate()`) what you keep.
    public var fileDescriptors: [FileDescriptor]

    public init(
        method: String,
        parameters: JSONObject = [:],
        more: Bool = false,
        oneway: Bool = false,
        upgrade: Bool = false,
        peer: PeerCredentials = PeerCredentials(uid: 0, gid: 0, pid: 0),
        fileDescriptors: [FileDescriptor] = []
    ) {
        self.method = method
        self.parameters = parameters
        self.more = more
        self.oneway = oneway
        self.upgrade = upgrade
        self.peer = peer
        self.fileDescriptors = fileDescriptors
    }

    /// The interface part of `method` (before the last dot).
    public var interface: Substring {
        guard let dot = method.lastDotIndex else { return "" }
        return method[..<dot]
    }

    /// The method part of `method` (after the last dot).
    public var methodName: Substring {
        guard let dot = method.lastDotIndex else { return Substring(method) }
        return method[method.utf8.index(after: dot)...]
    }
}

extension String {
    /// The index of the last `.`, found in the UTF-8 bytes: `lastIndex(of: ".")` walks grapheme clusters,
    /// which cost the server a quarter of its instructions per call. The two differ only for a `.`
    /// followed by a combining mark, which no valid method name has.
    var lastDotIndex: String.Index? {
        let found: Int?? = utf8.withContiguousStorageIfAvailable { bytes in
            bytes.lastIndex(of: UInt8(ascii: "."))
        }
        if let found { return found.map { utf8.index(utf8.startIndex, offsetBy: $0) } }
        return utf8.lastIndex(of: UInt8(ascii: "."))
    }
}
