/// Bounds the parser enforces so hostile input cannot exhaust the stack or memory.
public struct JSONLimits: Sendable, Hashable {
    /// The deepest nesting of arrays and objects accepted; the top-level container is depth 1.
    public var maxDepth: Int
    /// The longest input accepted, in bytes.
    public var maxInputBytes: Int

    public init(maxDepth: Int = 512, maxInputBytes: Int = 64 << 20) {
        self.maxDepth = maxDepth
        self.maxInputBytes = maxInputBytes
    }

    /// Depth 512 (as JSONSerialization and strict json-c use) and 64 MiB, well above Varlink's
    /// 16 MiB message limit, which the transport enforces itself.
    public static let `default` = JSONLimits()
}
