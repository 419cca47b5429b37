/// `JSONValue` and `JSONObject` work with any coder; the tree coders embed them directly.
extension JSONValue: Codable {
    public init(from decoder: any Decoder) throws {
        if let keyed = try? decoder.container(keyedBy: JSONCodingKey.self) {
            self = .object(try JSONObject(keyed))
            return
        }
        if var unkeyed = try? decoder.unkeyedContainer() {
            var elements: [JSONValue] = []
            while !unkeyed.isAtEnd { elements.append(try unkeyed.decode(JSONValue.self)) }
            self = .array(elements)
            return
        }
        let single = try decoder.singleValueContainer()
        if single.decodeNil() {
            self = .null
        } else if let flag = try? single.decode(Bool.self) {
            self = .bool(flag)
        } else if let number = try? single.decode(Int64.self) {
            self = .int(number)
        } else if let number = try? single.decode(UInt64.self) {
            self = .uint(number)
        } else if let number = try? single.decode(Double.self) {
            self = .double(number)
        } else {
            self = .string(try single.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        if case .object(let object) = self { return try object.encode(to: encoder) }
        if case .array(let elements) = self {
            var unkeyed = encoder.unkeyedContainer()
            for element in elements { try unkeyed.encode(element) }
            return
        }
        var single = encoder.singleValueContainer()
        switch self {
        case .null: try single.encodeNil()
        case .bool(let flag): try single.encode(flag)
        case .int(let number): try single.encode(number)
        case .uint(let number): try single.encode(number)
        case .double(let number): try single.encode(number)
        case .string(let string): try single.encode(string)
        case .array, .object: break  // encoded above
        }
    }
}

extension JSONObject: Codable {
    public init(from decoder: any Decoder) throws {
        try self.init(decoder.container(keyedBy: JSONCodingKey.self))
    }

    /// Every member of a keyed container, in the container's key order.
    init(_ keyed: KeyedDecodingContainer<JSONCodingKey>) throws {
        self.init()
        for key in keyed.allKeys { self[key.stringValue] = try keyed.decode(JSONValue.self, forKey: key) }
    }

    public func encode(to encoder: any Encoder) throws {
        var keyed = encoder.container(keyedBy: JSONCodingKey.self)
        for (key, value) in members { try keyed.encode(value, forKey: JSONCodingKey(stringValue: key)) }
    }
}
