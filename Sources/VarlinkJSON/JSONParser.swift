/// A strict RFC 8259 parser from UTF-8 bytes to `JSONValue`.
///
/// Rejects everything the RFC does not allow (invalid or overlong UTF-8, encoded or lone
/// surrogates, raw control characters in strings, leading zeros, trailing commas, NaN,
/// comments) and duplicate object keys. Integers keep full `Int64`/`UInt64` precision; larger
/// integers and numbers with a fraction or exponent become `Double`.
public enum JSONParser {
    /// Parses one JSON value (any type) surrounded by optional whitespace.
    public static func parse(
        _ bytes: UnsafeRawBufferPointer,
        limits: JSONLimits = .default
    ) throws(JSONError) -> JSONValue {
        guard bytes.count <= limits.maxInputBytes else {
            throw JSONError(.sizeLimitExceeded(limit: limits.maxInputBytes), at: limits.maxInputBytes)
        }
        guard let base = bytes.baseAddress, !bytes.isEmpty else { throw JSONError(.unexpectedEnd, at: 0) }
        var reader = JSONReader(base: base.assumingMemoryBound(to: UInt8.self), count: bytes.count, limits: limits)
        return try reader.parseDocument()
    }

    /// Parses one JSON value from a byte array.
    public static func parse(_ bytes: [UInt8], limits: JSONLimits = .default) throws(JSONError) -> JSONValue {
        try withRawBytes(bytes, limits: limits)
    }

    /// Parses one JSON value from any byte collection (contiguous storage is used when available).
    public static func parse(
        _ bytes: some Collection<UInt8>,
        limits: JSONLimits = .default
    ) throws(JSONError) -> JSONValue {
        try withRawBytes(bytes, limits: limits)
    }

    /// Parses one JSON value from the UTF-8 of a string.
    public static func parse(_ text: String, limits: JSONLimits = .default) throws(JSONError) -> JSONValue {
        try withRawBytes(text.utf8, limits: limits)
    }

    private static func withRawBytes(
        _ bytes: some Collection<UInt8>,
        limits: JSONLimits
    ) throws(JSONError) -> JSONValue {
        let result: Result<JSONValue, JSONError>? = bytes.withContiguousStorageIfAvailable { buffer in
            Result { () throws(JSONError) in try parse(UnsafeRawBufferPointer(buffer), limits: limits) }
        }
        if let result { return try result.get() }
        let copy = Array(bytes)
        return try copy.withUnsafeBytes { raw in
            Result { () throws(JSONError) in try parse(raw, limits: limits) }
        }.get()
    }
}

/// The parser's cursor and scratch storage over one input buffer.
struct JSONReader {
    let base: UnsafePointer<UInt8>
    let end: Int
    let limits: JSONLimits
    var index = 0
    var depth = 0
    /// Elements of every array being parsed, innermost last; arrays are built at exact size.
    var elementStack: [JSONValue] = []
    /// Decoded bytes of the string being unescaped.
    var scratch: [UInt8] = []

    init(base: UnsafePointer<UInt8>, count: Int, limits: JSONLimits) {
        self.base = base
        self.end = count
        self.limits = limits
    }

    mutating func parseDocument() throws(JSONError) -> JSONValue {
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        guard index == end else { throw JSONError(.trailingData, at: index) }
        return value
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while index < end {
            switch base[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    mutating func parseValue() throws(JSONError) -> JSONValue {
        guard index < end else { throw JSONError(.unexpectedEnd, at: index) }
        switch base[index] {
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        case let byte: throw JSONError(.unexpectedByte(byte), at: index)
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONError) {
        let bytes = UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
        for byte in bytes {
            guard index < end else { throw JSONError(.unexpectedEnd, at: index) }
            guard base[index] == byte else { throw JSONError(.unexpectedByte(base[index]), at: index) }
            index += 1
        }
    }

    /// At `[` or `{`: counts the level against the depth limit and steps past the bracket. Returns
    /// true when the container is empty, its `closing` bracket consumed and the level left again.
    private mutating func enterContainer(closing: UInt8) throws(JSONError) -> Bool {
        depth += 1
        guard depth <= limits.maxDepth else { throw JSONError(.depthLimitExceeded(limit: limits.maxDepth), at: index) }
        index += 1
        skipWhitespace()
        guard index < end && base[index] == closing else { return false }
        index += 1
        depth -= 1
        return true
    }

    /// After an element or member: consumes `,` and returns false (another one must follow, so a
    /// `closing` bracket right after is a trailing comma), or consumes `closing` and returns true.
    @inline(__always)
    private mutating func consumeSeparator(closing: UInt8) throws(JSONError) -> Bool {
        skipWhitespace()
        guard index < end else { throw JSONError(.unexpectedEnd, at: index) }
        let byte = base[index]
        index += 1
        if byte == closing { return true }
        guard byte == UInt8(ascii: ",") else { throw JSONError(.unexpectedByte(byte), at: index - 1) }
        skipWhitespace()
        if index < end && base[index] == closing { throw JSONError(.trailingComma, at: index) }
        return false
    }

    private mutating func parseArray() throws(JSONError) -> JSONValue {
        if try enterContainer(closing: UInt8(ascii: "]")) { return .array([]) }
        let start = elementStack.count
        while true {
            let value = try parseValue()
            elementStack.append(value)
            if try consumeSeparator(closing: UInt8(ascii: "]")) { break }
        }
        let elements = Array(elementStack[start...])
        elementStack.removeSubrange(start...)
        depth -= 1
        return .array(elements)
    }

    private mutating func parseObject() throws(JSONError) -> JSONValue {
        if try enterContainer(closing: UInt8(ascii: "}")) { return .object(JSONObject()) }
        // Members go straight into the object's own array: one allocation for a small object, where
        // a shared stack plus an exact-size copy cost two or more on every Varlink message.
        var members: [(key: String, value: JSONValue)] = []
        members.reserveCapacity(4)
        // Small objects (all Varlink messages) are checked for duplicates by linear scan; a set
        // takes over for big ones so hostile input cannot make the check quadratic.
        var seenKeys: Set<String>? = nil
        while true {
            guard index < end else { throw JSONError(.unexpectedEnd, at: index) }
            guard base[index] == UInt8(ascii: "\"") else { throw JSONError(.unexpectedByte(base[index]), at: index) }
            let keyOffset = index
            let key = try parseString()
            if isDuplicate(key, in: members, seenKeys: &seenKeys) {
                throw JSONError(.duplicateKey(key), at: keyOffset)
            }
            skipWhitespace()
            guard index < end else { throw JSONError(.unexpectedEnd, at: index) }
            guard base[index] == UInt8(ascii: ":") else { throw JSONError(.unexpectedByte(base[index]), at: index) }
            index += 1
            skipWhitespace()
            let value = try parseValue()
            members.append((key, value))
            if try consumeSeparator(closing: UInt8(ascii: "}")) { break }
        }
        depth -= 1
        return .object(JSONObject(uniqueMembers: members))
    }

    private func isDuplicate(
        _ key: String,
        in members: [(key: String, value: JSONValue)],
        seenKeys: inout Set<String>?
    ) -> Bool {
        if members.count < 16 {
            for member in members where member.key == key { return true }
            return false
        }
        if seenKeys == nil { seenKeys = Set(members.lazy.map(\.key)) }
        return !seenKeys!.insert(key).inserted
    }
}
