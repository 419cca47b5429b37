struct TreeKeyedDecodingContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: TreeDecoder
    let object: JSONObject

    var codingPath: [any CodingKey] { decoder.codingPath }
    var allKeys: [Key] { object.members.compactMap { Key(stringValue: $0.key) } }

    func contains(_ key: Key) -> Bool { lookup(key) != nil }

    private func lookup(_ key: Key) -> JSONValue? {
        let name = key.stringValue
        let members = object.members
        let cursor = decoder.memberCursor
        if cursor < members.count && members[cursor].key == name {
            decoder.memberCursor = cursor + 1
            return members[cursor].value
        }
        for index in members.indices where members[index].key == name {
            decoder.memberCursor = index + 1
            return members[index].value
        }
        return nil
    }

    private func require(_ key: Key) throws -> JSONValue {
        guard let value = lookup(key) else {
            throw DecodingError.keyNotFound(
                key,
                DecodingError.Context(
                    codingPath: decoder.codingPath,
                    debugDescription: "missing member \"\(key.stringValue)\""
                )
            )
        }
        return value
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        guard let value = lookup(key) else { return true }
        return value.isNull
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool {
        try directDecode(type, from: try require(key), decoder: decoder, key: key)!
    }
    func decode(_ type: String.Type, forKey key: Key) throws -> String {
        try directDecode(type, from: try require(key), decoder: decoder, key: key)!
    }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double {
        try double(try require(key), decoder, key)
    }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float {
        Float(try double(try require(key), decoder, key))
    }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try integer(type, try require(key), decoder, key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try integer(type, try require(key), decoder, key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 {
        try integer(type, try require(key), decoder, key)
    }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 {
        try integer(type, try require(key), decoder, key)
    }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 {
        try integer(type, try require(key), decoder, key)
    }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try integer(type, try require(key), decoder, key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 {
        try integer(type, try require(key), decoder, key)
    }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 {
        try integer(type, try require(key), decoder, key)
    }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 {
        try integer(type, try require(key), decoder, key)
    }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 {
        try integer(type, try require(key), decoder, key)
    }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try decoder.decodeChild(type, from: try require(key), key: key)
    }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type,
        forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        let child = TreeDecoder(value: try require(key), parent: decoder, key: key, userInfo: decoder.userInfoStorage)
        return try child.container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        let child = TreeDecoder(value: try require(key), parent: decoder, key: key, userInfo: decoder.userInfoStorage)
        return try child.unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        let key = JSONCodingKey(stringValue: "super")
        return TreeDecoder(
            value: object["super"] ?? .null,
            parent: decoder,
            key: key,
            userInfo: decoder.userInfoStorage
        )
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        TreeDecoder(value: lookup(key) ?? .null, parent: decoder, key: key, userInfo: decoder.userInfoStorage)
    }
}

struct TreeUnkeyedDecodingContainer: UnkeyedDecodingContainer {
    let decoder: TreeDecoder
    let elements: [JSONValue]
    private(set) var currentIndex = 0

    init(decoder: TreeDecoder, elements: [JSONValue]) {
        self.decoder = decoder
        self.elements = elements
    }

    var codingPath: [any CodingKey] { decoder.codingPath }
    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    private mutating func next(_ type: Any.Type) throws -> (JSONValue, JSONCodingKey) {
        let key = JSONCodingKey(index: currentIndex)
        guard currentIndex < elements.count else {
            throw DecodingError.valueNotFound(
                type,
                DecodingError.Context(
                    codingPath: decoder.codingPath + [key],
                    debugDescription: "array has no more elements"
                )
            )
        }
        currentIndex += 1
        return (elements[currentIndex - 1], key)
    }

    mutating func decodeNil() throws -> Bool {
        guard currentIndex < elements.count else { _ = try next(Never.self); return false }
        if elements[currentIndex].isNull {
            currentIndex += 1
            return true
        }
        return false
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try decode(type, via: ()) }
    mutating func decode(_ type: String.Type) throws -> String { try decode(type, via: ()) }
    mutating func decode(_ type: Double.Type) throws -> Double {
        let (value, key) = try next(type)
        return try double(value, decoder, key)
    }
    mutating func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }
    mutating func decode(_ type: Int.Type) throws -> Int { try decodeInteger(type) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try decodeInteger(type) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try decodeInteger(type) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try decodeInteger(type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try decodeInteger(type) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try decodeInteger(type) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try decodeInteger(type) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try decodeInteger(type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try decodeInteger(type) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try decodeInteger(type) }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let (value, key) = try next(type)
        return try decoder.decodeChild(type, from: value, key: key)
    }

    private mutating func decode<T: Decodable>(_ type: T.Type, via: Void) throws -> T {
        let (value, key) = try next(type)
        return try directDecode(type, from: value, decoder: decoder, key: key)!
    }

    private mutating func decodeInteger<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        let (value, key) = try next(type)
        return try integer(type, value, decoder, key)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type
    ) throws -> KeyedDecodingContainer<NestedKey> {
        let (value, key) = try next(JSONObject.self)
        return try TreeDecoder(value: value, parent: decoder, key: key, userInfo: decoder.userInfoStorage)
            .container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let (value, key) = try next([JSONValue].self)
        return try TreeDecoder(value: value, parent: decoder, key: key, userInfo: decoder.userInfoStorage)
            .unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder {
        let (value, key) = try next(JSONValue.self)
        return TreeDecoder(value: value, parent: decoder, key: key, userInfo: decoder.userInfoStorage)
    }
}

struct TreeSingleValueDecodingContainer: SingleValueDecodingContainer {
    let decoder: TreeDecoder

    var codingPath: [any CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool { decoder.value.isNull }
    func decode(_ type: Bool.Type) throws -> Bool {
        try directDecode(type, from: decoder.value, decoder: decoder, key: nil)!
    }
    func decode(_ type: String.Type) throws -> String {
        try directDecode(type, from: decoder.value, decoder: decoder, key: nil)!
    }
    func decode(_ type: Double.Type) throws -> Double { try double(decoder.value, decoder, nil) }
    func decode(_ type: Float.Type) throws -> Float { Float(try double(decoder.value, decoder, nil)) }
    func decode(_ type: Int.Type) throws -> Int { try integer(type, decoder.value, decoder, nil) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(type, decoder.value, decoder, nil) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(type, decoder.value, decoder, nil) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(type, decoder.value, decoder, nil) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(type, decoder.value, decoder, nil) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(type, decoder.value, decoder, nil) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type, decoder.value, decoder, nil) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type, decoder.value, decoder, nil) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type, decoder.value, decoder, nil) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type, decoder.value, decoder, nil) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if let direct = try directDecode(type, from: decoder.value, decoder: decoder, key: nil) { return direct }
        // Same decoder: a single-value wrapper adds no coding-path level.
        return try T(from: decoder)
    }
}
