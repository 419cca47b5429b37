/// Decodes `Decodable` values from a `JSONValue` tree.
///
/// An absent key and an explicit `null` both decode to `nil` for optionals. Integers decode
/// into any integer type they fit exactly (also from an integral double); floating-point types
/// accept integer literals. Errors are standard `DecodingError`s whose coding path names the
/// member; `DecodingError.readableDescription` renders it as `a.b[2].c: …`.
public struct JSONValueDecoder: Sendable {
    /// Passed to `Decoder.userInfo`.
    public var userInfo: [CodingUserInfoKey: any Sendable] = [:]

    public init() {}

    /// Decodes `type` from `value`.
    public func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        if let direct = try directDecode(type, from: value, decoder: nil, key: nil) { return direct }
        return try T(from: TreeDecoder(value: value, parent: nil, key: nil, userInfo: userInfo))
    }

    /// Decodes `type` from an object (a Varlink `parameters` member). Disfavored so that
    /// literals resolve to the `JSONValue` overload.
    @_disfavoredOverload
    public func decode<T: Decodable>(_ type: T.Type, from object: JSONObject) throws -> T {
        try decode(type, from: .object(object))
    }

    /// Parses `bytes` and decodes `type` from the result.
    public func decode<T: Decodable>(_ type: T.Type, fromBytes bytes: [UInt8]) throws -> T {
        try decode(type, from: try JSONParser.parse(bytes))
    }
}

/// Converts the common leaf types without creating a `Decoder`.
@inline(__always)
func directDecode<T: Decodable>(
    _ type: T.Type,
    from value: JSONValue,
    decoder: TreeDecoder?,
    key: (any CodingKey)?
) throws -> T? {
    if T.self == String.self {
        guard case .string(let string) = value else { throw mismatch(String.self, value, decoder, key) }
        return (string as! T)
    }
    if T.self == Int.self { return (try integer(Int.self, value, decoder, key) as! T) }
    if T.self == Int64.self { return (try integer(Int64.self, value, decoder, key) as! T) }
    if T.self == Bool.self {
        guard case .bool(let flag) = value else { throw mismatch(Bool.self, value, decoder, key) }
        return (flag as! T)
    }
    if T.self == Double.self { return (try double(value, decoder, key) as! T) }
    if T.self == JSONValue.self { return (value as! T) }
    if T.self == [String].self {
        guard case .array(let elements) = value else { throw mismatch([String].self, value, decoder, key) }
        var strings: [String] = []
        strings.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            guard case .string(let string) = element else {
                throw mismatch(String.self, element, decoder, key, index: index)
            }
            strings.append(string)
        }
        return (strings as! T)
    }
    if T.self == JSONObject.self {
        guard case .object(let object) = value else { throw mismatch(JSONObject.self, value, decoder, key) }
        return (object as! T)
    }
    return nil
}

func path(_ decoder: TreeDecoder?, _ key: (any CodingKey)?) -> [any CodingKey] {
    var path = decoder?.codingPath ?? []
    if let key { path.append(key) }
    return path
}

func mismatch(
    _ type: Any.Type,
    _ value: JSONValue,
    _ decoder: TreeDecoder?,
    _ key: (any CodingKey)?,
    index: Int
) -> DecodingError {
    var path = path(decoder, key)
    path.append(JSONCodingKey(index: index))
    let context = DecodingError.Context(codingPath: path, debugDescription: "expected \(type), found \(value.kindName)")
    return value.isNull ? DecodingError.valueNotFound(type, context) : DecodingError.typeMismatch(type, context)
}

func mismatch(_ type: Any.Type, _ value: JSONValue, _ decoder: TreeDecoder?, _ key: (any CodingKey)?) -> DecodingError {
    if case .null = value {
        return DecodingError.valueNotFound(
            type,
            DecodingError.Context(codingPath: path(decoder, key), debugDescription: "expected \(type), found null")
        )
    }
    return DecodingError.typeMismatch(
        type,
        DecodingError.Context(
            codingPath: path(decoder, key),
            debugDescription: "expected \(type), found \(value.kindName)"
        )
    )
}

func integer<T: FixedWidthInteger>(
    _ type: T.Type,
    _ value: JSONValue,
    _ decoder: TreeDecoder?,
    _ key: (any CodingKey)?
) throws -> T {
    let result: T?
    switch value {
    case .int(let number): result = T(exactly: number)
    case .uint(let number): result = T(exactly: number)
    case .double(let number): result = T(exactly: number)
    default: throw mismatch(type, value, decoder, key)
    }
    guard let result else {
        throw DecodingError.dataCorrupted(
            DecodingError.Context(
                codingPath: path(decoder, key),
                debugDescription: "\(JSONSerializer.string(value)) does not fit \(type)"
            )
        )
    }
    return result
}

func double(_ value: JSONValue, _ decoder: TreeDecoder?, _ key: (any CodingKey)?) throws -> Double {
    switch value {
    case .double(let number): return number
    case .int(let number): return Double(number)
    case .uint(let number): return Double(number)
    default: throw mismatch(Double.self, value, decoder, key)
    }
}

extension JSONValue {
    /// The JSON type name, for error messages.
    public var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "bool"
        case .int, .uint: return "integer"
        case .double: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }
}

/// The `Decoder` handed to `init(from:)`.
final class TreeDecoder: Decoder, LinkedCoder {
    let value: JSONValue
    let parent: TreeDecoder?
    let key: (any CodingKey)?
    let userInfoStorage: [CodingUserInfoKey: any Sendable]
    /// Where the keyed container expects the next key: synthesized `init(from:)` decodes in
    /// declaration order, which usually matches member order, making lookups O(1).
    var memberCursor = 0

    init(value: JSONValue, parent: TreeDecoder?, key: (any CodingKey)?, userInfo: [CodingUserInfoKey: any Sendable]) {
        self.value = value
        self.parent = parent
        self.key = key
        self.userInfoStorage = userInfo
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let object) = value else { throw mismatch(JSONObject.self, value, self, nil) }
        return KeyedDecodingContainer(TreeKeyedDecodingContainer<Key>(decoder: self, object: object))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = value else { throw mismatch([JSONValue].self, value, self, nil) }
        return TreeUnkeyedDecodingContainer(decoder: self, elements: elements)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        TreeSingleValueDecodingContainer(decoder: self)
    }

    func decodeChild<T: Decodable>(_ type: T.Type, from value: JSONValue, key: any CodingKey) throws -> T {
        if let direct = try directDecode(type, from: value, decoder: self, key: key) { return direct }
        return try T(from: TreeDecoder(value: value, parent: self, key: key, userInfo: userInfoStorage))
    }
}
