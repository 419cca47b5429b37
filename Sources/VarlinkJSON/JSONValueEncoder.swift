/// Encodes `Encodable` values into a `JSONValue` tree.
///
/// Varlink has no null members: `nil` optionals (and explicit `encodeNil(forKey:)`) leave the
/// key out. Inside arrays `nil` is written as `null`, since positions matter there.
/// `JSONValue` and `JSONObject` properties are embedded as they are. Non-finite floating-point
/// values throw `EncodingError.invalidValue` with the coding path.
public struct JSONValueEncoder: Sendable {
    /// Passed to `Encoder.userInfo`.
    public var userInfo: [CodingUserInfoKey: any Sendable] = [:]

    public init() {}

    /// The JSON tree for `value`.
    public func encode(_ value: some Encodable) throws -> JSONValue {
        if let direct = directValue(value) { return direct }
        let encoder = TreeEncoder(parent: nil, key: nil, userInfo: userInfo)
        try value.encode(to: encoder)
        return encoder.node?.resolved ?? .object(JSONObject())
    }

    /// The JSON object for `value`; throws `EncodingError.invalidValue` if it encodes to anything else.
    public func encodeObject(_ value: some Encodable) throws -> JSONObject {
        let encoded = try encode(value)
        guard case .object(let object) = encoded else {
            throw EncodingError.invalidValue(
                value,
                EncodingError.Context(codingPath: [], debugDescription: "expected a value that encodes to an object")
            )
        }
        return object
    }

    /// The JSON text for `value`, compact.
    public func encodeToBytes(_ value: some Encodable) throws -> [UInt8] {
        JSONSerializer.serialize(try encode(value))
    }
}

/// Converts the common leaf types without going through an `Encoder`.
@inline(__always)
func directValue<T: Encodable>(_ value: T) -> JSONValue? {
    if T.self == String.self { return .string(value as! String) }
    if T.self == Int.self { return .int(Int64(value as! Int)) }
    if T.self == Int64.self { return .int(value as! Int64) }
    if T.self == Bool.self { return .bool(value as! Bool) }
    if T.self == JSONValue.self { return (value as! JSONValue) }
    if T.self == JSONObject.self { return .object(value as! JSONObject) }
    if T.self == UInt64.self { return JSONValue(exactly: value as! UInt64) }
    if T.self == UInt32.self { return .int(Int64(value as! UInt32)) }
    if T.self == Int32.self { return .int(Int64(value as! Int32)) }
    // Collections of strings are common in Varlink types (tags, names, maps); skip the
    // per-element encoder round trip for them.
    if T.self == [String].self { return .array((value as! [String]).map(JSONValue.string)) }
    if T.self == [String: String].self {
        return .object(JSONObject(uniqueMembers: (value as! [String: String]).map { ($0.key, .string($0.value)) }))
    }
    return nil
}

extension JSONValue {
    /// `.int` when the value fits `Int64`, else `.uint`, matching what the parser produces.
    @inlinable
    public init(exactly value: UInt64) {
        self = value <= UInt64(Int64.max) ? .int(Int64(value)) : .uint(value)
    }
}

/// A node under construction: leaves are final, containers are shared boxes so nested
/// containers can keep appending after they are handed out.
enum EncodedNode {
    case value(JSONValue)
    case object(EncodedObject)
    case array(EncodedArray)

    var resolved: JSONValue {
        switch self {
        case .value(let value): return value
        case .object(let box): return .object(JSONObject(uniqueMembers: box.members.map { ($0.key, $0.node.resolved) }))
        case .array(let box): return .array(box.elements.map(\.resolved))
        }
    }

    var objectBox: EncodedObject? {
        if case .object(let box) = self { return box }
        return nil
    }

    var arrayBox: EncodedArray? {
        if case .array(let box) = self { return box }
        return nil
    }
}

final class EncodedObject {
    var members: [(key: String, node: EncodedNode)] = []

    func set(_ key: String, _ node: EncodedNode) {
        // Keys are normally unique; a repeated key (a custom encode(to:)) replaces, like JSONEncoder.
        if let index = members.firstIndex(where: { $0.key == key }) {
            members[index].node = node
        } else {
            members.append((key, node))
        }
    }
}

final class EncodedArray {
    var elements: [EncodedNode] = []
}

/// The `Encoder` handed to `encode(to:)`.
final class TreeEncoder: Encoder, LinkedCoder {
    let parent: TreeEncoder?
    let key: (any CodingKey)?
    let userInfoStorage: [CodingUserInfoKey: any Sendable]
    var node: EncodedNode?

    init(parent: TreeEncoder?, key: (any CodingKey)?, userInfo: [CodingUserInfoKey: any Sendable]) {
        self.parent = parent
        self.key = key
        self.userInfoStorage = userInfo
    }

    // A second request for the same kind of container continues the box the first one started.

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let box = node?.objectBox ?? EncodedObject()
        node = .object(box)
        return KeyedEncodingContainer(TreeKeyedEncodingContainer<Key>(encoder: self, box: box))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let box = node?.arrayBox ?? EncodedArray()
        node = .array(box)
        return TreeUnkeyedEncodingContainer(encoder: self, box: box)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { TreeSingleValueEncodingContainer(encoder: self) }

    /// Encodes a nested value under `key`, returning its node.
    func encodeChild(_ value: some Encodable, key: any CodingKey) throws -> EncodedNode {
        if let direct = directValue(value) { return .value(direct) }
        let child = TreeEncoder(parent: self, key: key, userInfo: userInfoStorage)
        try value.encode(to: child)
        return child.node ?? .value(.object(JSONObject()))
    }

    func checkedDouble(_ value: Double, key: (any CodingKey)?) throws -> JSONValue {
        guard value.isFinite else {
            var path = codingPath
            if let key { path.append(key) }
            throw EncodingError.invalidValue(
                value,
                EncodingError.Context(
                    codingPath: path,
                    debugDescription: "\(value) has no JSON representation at \(CodingPathFormatter.describe(path))"
                )
            )
        }
        return .double(value)
    }
}
