struct TreeKeyedEncodingContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: TreeEncoder
    let box: EncodedObject

    var codingPath: [any CodingKey] { encoder.codingPath }

    // Varlink has no null members: an explicit nil leaves the key out.
    mutating func encodeNil(forKey key: Key) throws {}
    mutating func encode(_ value: Bool, forKey key: Key) throws { box.set(key.stringValue, .value(.bool(value))) }
    mutating func encode(_ value: String, forKey key: Key) throws { box.set(key.stringValue, .value(.string(value))) }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        box.set(key.stringValue, .value(try encoder.checkedDouble(value, key: key)))
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
        box.set(key.stringValue, .value(try encoder.checkedDouble(Double(value), key: key)))
    }
    mutating func encode(_ value: Int, forKey key: Key) throws { box.set(key.stringValue, .value(.int(Int64(value)))) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { box.set(key.stringValue, .value(.int(Int64(value)))) }
    mutating func encode(_ value: Int16, forKey key: Key) throws {
        box.set(key.stringValue, .value(.int(Int64(value))))
    }
    mutating func encode(_ value: Int32, forKey key: Key) throws {
        box.set(key.stringValue, .value(.int(Int64(value))))
    }
    mutating func encode(_ value: Int64, forKey key: Key) throws { box.set(key.stringValue, .value(.int(value))) }
    mutating func encode(_ value: UInt, forKey key: Key) throws {
        box.set(key.stringValue, .value(JSONValue(exactly: UInt64(value))))
    }
    mutating func encode(_ value: UInt8, forKey key: Key) throws {
        box.set(key.stringValue, .value(.int(Int64(value))))
    }
    mutating func encode(_ value: UInt16, forKey key: Key) throws {
        box.set(key.stringValue, .value(.int(Int64(value))))
    }
    mutating func encode(_ value: UInt32, forKey key: Key) throws {
        box.set(key.stringValue, .value(.int(Int64(value))))
    }
    mutating func encode(_ value: UInt64, forKey key: Key) throws {
        box.set(key.stringValue, .value(JSONValue(exactly: value)))
    }
    mutating func encode(_ value: some Encodable, forKey key: Key) throws {
        box.set(key.stringValue, try encoder.encodeChild(value, key: key))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type,
        forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        let nested = EncodedObject()
        box.set(key.stringValue, .object(nested))
        let child = TreeEncoder(parent: encoder, key: key, userInfo: encoder.userInfoStorage)
        child.node = .object(nested)
        return KeyedEncodingContainer(TreeKeyedEncodingContainer<NestedKey>(encoder: child, box: nested))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nested = EncodedArray()
        box.set(key.stringValue, .array(nested))
        let child = TreeEncoder(parent: encoder, key: key, userInfo: encoder.userInfoStorage)
        child.node = .array(nested)
        return TreeUnkeyedEncodingContainer(encoder: child, box: nested)
    }

    mutating func superEncoder() -> any Encoder { superEncoder(forKey: Key(stringValue: "super")!) }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        // The subclass writes into a fresh child whose result is stored when read back lazily;
        // store a box now so the member exists in order.
        let nested = EncodedObject()
        box.set(key.stringValue, .object(nested))
        let child = TreeEncoder(parent: encoder, key: key, userInfo: encoder.userInfoStorage)
        child.node = .object(nested)
        return child
    }
}

struct TreeUnkeyedEncodingContainer: UnkeyedEncodingContainer {
    let encoder: TreeEncoder
    let box: EncodedArray

    var codingPath: [any CodingKey] { encoder.codingPath }
    var count: Int { box.elements.count }

    private var nextKey: JSONCodingKey { JSONCodingKey(index: box.elements.count) }

    mutating func encodeNil() throws { box.elements.append(.value(.null)) }
    mutating func encode(_ value: Bool) throws { box.elements.append(.value(.bool(value))) }
    mutating func encode(_ value: String) throws { box.elements.append(.value(.string(value))) }
    mutating func encode(_ value: Double) throws {
        box.elements.append(.value(try encoder.checkedDouble(value, key: nextKey)))
    }
    mutating func encode(_ value: Float) throws {
        box.elements.append(.value(try encoder.checkedDouble(Double(value), key: nextKey)))
    }
    mutating func encode(_ value: Int) throws { box.elements.append(.value(.int(Int64(value)))) }
    mutating func encode(_ value: Int8) throws { box.elements.append(.value(.int(Int64(value)))) }
    mutating func encode(_ value: Int16) throws { box.elements.append(.value(.int(Int64(value)))) }
    mutating func encode(_ value: Int32) throws { box.elements.append(.value(.int(Int64(value)))) }
    mutating func encode(_ value: Int64) throws { box.elements.append(.value(.int(value))) }
    mutating func encode(_ value: UInt) throws { box.elements.append(.value(JSONValue(exactly: UInt64(value)))) }
    mutating func encode(_ value: UInt8) throws { box.elements.append(.value(.int(Int64(value)))) }
    mutating func encode(_ value: UInt16) throws { box.elements.append(.value(.int(Int64(value)))) }
    mutating func encode(_ value: UInt32) throws { box.elements.append(.value(.int(Int64(value)))) }
    mutating func encode(_ value: UInt64) throws { box.elements.append(.value(JSONValue(exactly: value))) }
    mutating func encode(_ value: some Encodable) throws {
        box.elements.append(try encoder.encodeChild(value, key: nextKey))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type
    ) -> KeyedEncodingContainer<NestedKey> {
        let nested = EncodedObject()
        let child = TreeEncoder(parent: encoder, key: nextKey, userInfo: encoder.userInfoStorage)
        child.node = .object(nested)
        box.elements.append(.object(nested))
        return KeyedEncodingContainer(TreeKeyedEncodingContainer<NestedKey>(encoder: child, box: nested))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let nested = EncodedArray()
        let child = TreeEncoder(parent: encoder, key: nextKey, userInfo: encoder.userInfoStorage)
        child.node = .array(nested)
        box.elements.append(.array(nested))
        return TreeUnkeyedEncodingContainer(encoder: child, box: nested)
    }

    mutating func superEncoder() -> any Encoder {
        let nested = EncodedObject()
        let child = TreeEncoder(parent: encoder, key: nextKey, userInfo: encoder.userInfoStorage)
        child.node = .object(nested)
        box.elements.append(.object(nested))
        return child
    }
}

struct TreeSingleValueEncodingContainer: SingleValueEncodingContainer {
    let encoder: TreeEncoder

    var codingPath: [any CodingKey] { encoder.codingPath }

    mutating func encodeNil() throws { encoder.node = .value(.null) }
    mutating func encode(_ value: Bool) throws { encoder.node = .value(.bool(value)) }
    mutating func encode(_ value: String) throws { encoder.node = .value(.string(value)) }
    mutating func encode(_ value: Double) throws { encoder.node = .value(try encoder.checkedDouble(value, key: nil)) }
    mutating func encode(_ value: Float) throws {
        encoder.node = .value(try encoder.checkedDouble(Double(value), key: nil))
    }
    mutating func encode(_ value: Int) throws { encoder.node = .value(.int(Int64(value))) }
    mutating func encode(_ value: Int8) throws { encoder.node = .value(.int(Int64(value))) }
    mutating func encode(_ value: Int16) throws { encoder.node = .value(.int(Int64(value))) }
    mutating func encode(_ value: Int32) throws { encoder.node = .value(.int(Int64(value))) }
    mutating func encode(_ value: Int64) throws { encoder.node = .value(.int(value)) }
    mutating func encode(_ value: UInt) throws { encoder.node = .value(JSONValue(exactly: UInt64(value))) }
    mutating func encode(_ value: UInt8) throws { encoder.node = .value(.int(Int64(value))) }
    mutating func encode(_ value: UInt16) throws { encoder.node = .value(.int(Int64(value))) }
    mutating func encode(_ value: UInt32) throws { encoder.node = .value(.int(Int64(value))) }
    mutating func encode(_ value: UInt64) throws { encoder.node = .value(JSONValue(exactly: value)) }
    mutating func encode(_ value: some Encodable) throws {
        if let direct = directValue(value) {
            encoder.node = .value(direct)
            return
        }
        // Same encoder: a single-value wrapper adds no coding-path level.
        try value.encode(to: encoder)
    }
}
