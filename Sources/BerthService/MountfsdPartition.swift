import VarlinkJSON

/// One partition of systemd-mountfsd's MountImage reply: the fields the generated decoder reads, plus
/// the byte counts it cannot hold. mountfsd writes `size` and `offset` as unsigned 64-bit numbers, and
/// a bare file system's size as UINT64_MAX, systemd's "unknown" (mountfsd before the unsigned JSON
/// builders sent that value through a signed one, as -1). The IDL's `int` is a Swift `Int`, which
/// refuses 18446744073709551615, so they are read here, exactly, and "unknown" becomes nil.
struct MountfsdPartition: Sendable, Hashable {
    var info: MountFileSystem.PartitionInfo
    /// Bytes; nil when mountfsd does not know (a file system without partition table).
    var size: UInt64?
    /// Bytes from the start of the image; nil when unknown.
    var offset: UInt64?

    init(info: MountFileSystem.PartitionInfo, size: UInt64?, offset: UInt64?) {
        self.info = info
        self.size = size
        self.offset = offset
    }

    /// The partitions of a MountImage reply, in its order. Fields newer mountfsd versions add are ignored.
    static func partitions(in reply: JSONObject) throws(MountfsdReplyError) -> [MountfsdPartition] {
        guard let elements = reply["partitions"]?.arrayValue else {
            throw MountfsdReplyError(field: "partitions", reason: "missing or not an array")
        }
        var result: [MountfsdPartition] = []
        for (index, element) in elements.enumerated() {
            let field = "partitions[\(index)]"
            guard let object = element.objectValue else {
                throw MountfsdReplyError(field: field, reason: "not an object")
            }
            let info: MountFileSystem.PartitionInfo
            do { info = try MountFileSystem.PartitionInfo(jsonObject: object, strict: false) } catch {
                throw MountfsdReplyError(field: field, reason: "\(error)")
            }
            result.append(
                MountfsdPartition(
                    info: info,
                    size: try byteCount(object["size"], field: field + ".size"),
                    offset: try byteCount(object["offset"], field: field + ".offset")
                )
            )
        }
        return result
    }

    /// A size or offset: nil when absent, UINT64_MAX or -1 (unknown); other values must be
    /// non-negative integers.
    static func byteCount(_ value: JSONValue?, field: String) throws(MountfsdReplyError) -> UInt64? {
        guard let value, !value.isNull else { return nil }
        if value.int64Value == -1 { return nil }
        guard let count = value.uint64Value else {
            throw MountfsdReplyError(field: field, reason: "not a byte count")
        }
        return count == .max ? nil : count
    }

    /// Where the partition is, for messages: "partition 2 (offset 1048576, 4194304 bytes)".
    var place: String {
        guard let number = info.partitionNumber else { return "the image's only file system" }
        var text = "partition \(number)"
        if let offset, let size { text += " (offset \(offset), \(size) bytes)" }
        return text
    }
}

/// A MountImage reply Berth cannot read: which field, and why.
struct MountfsdReplyError: Error, Sendable, Equatable, CustomStringConvertible {
    var field: String
    var reason: String

    var description: String { "\(field): \(reason)" }
}
