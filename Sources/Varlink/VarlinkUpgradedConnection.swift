public import SystemCalls

/// A connection that has left Varlink after an `upgrade` call was confirmed.
///
/// The caller owns `fileDescriptor` (non-blocking, close-on-exec) and must close it. `bufferedBytes`
/// are bytes the peer sent after the upgrade message that were already read; treat them as the
/// first bytes of the upgraded stream.
public struct VarlinkUpgradedConnection: Sendable {
    public var fileDescriptor: FileDescriptor
    public var bufferedBytes: [UInt8]

    public init(fileDescriptor: FileDescriptor, bufferedBytes: [UInt8]) {
        self.fileDescriptor = fileDescriptor
        self.bufferedBytes = bufferedBytes
    }
}
