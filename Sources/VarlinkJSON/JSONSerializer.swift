/// Writes `JSONValue` as JSON text.
///
/// Compact output is canonical: no whitespace, object members in stored order, integers as
/// exact decimals, doubles in the shortest form that round-trips. Strings escape only `"`, `\`
/// and control characters (`\b \f \n \r \t`, the rest as `\u00XX`); everything else is raw UTF-8.
///
/// Non-finite doubles have no JSON spelling; they are written as `null` so that serialization
/// never fails on the wire path. `JSONValueEncoder` rejects them earlier, with the coding path.
public enum JSONSerializer {
    /// Appends the JSON text of `value` to `buffer`.
    public static func serialize(_ value: JSONValue, into buffer: inout [UInt8]) {
        var writer = JSONWriter(buffer: buffer, pretty: false)
        buffer = []
        writer.write(value, indent: 0)
        buffer = writer.buffer
    }

    /// The JSON text of `value`.
    public static func serialize(_ value: JSONValue) -> [UInt8] {
        var buffer: [UInt8] = []
        serialize(value, into: &buffer)
        return buffer
    }

    /// Appends the JSON text of `value`; `pretty` indents by two spaces per level like jq and
    /// varlinkctl (`"key": value`, one member or element per line, no trailing newline).
    public static func serialize(_ value: JSONValue, pretty: Bool, into buffer: inout [UInt8]) {
        var writer = JSONWriter(buffer: buffer, pretty: pretty)
        buffer = []
        writer.write(value, indent: 0)
        buffer = writer.buffer
    }

    /// The JSON text of `value`, compact or pretty.
    public static func serialize(_ value: JSONValue, pretty: Bool) -> [UInt8] {
        var buffer: [UInt8] = []
        serialize(value, pretty: pretty, into: &buffer)
        return buffer
    }

    /// The JSON text of `value` as a `String`.
    public static func string(_ value: JSONValue, pretty: Bool = false) -> String {
        String(decoding: serialize(value, pretty: pretty), as: UTF8.self)
    }
}

extension JSONValue: CustomStringConvertible {
    /// The compact JSON text.
    public var description: String { JSONSerializer.string(self) }
}

private let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

/// Output state; owns the buffer while writing so appends never copy.
struct JSONWriter {
    var buffer: [UInt8]
    let pretty: Bool

    mutating func write(_ value: JSONValue, indent: Int) {
        switch value {
        case .null: appendLiteral("null")
        case .bool(let flag): appendLiteral(flag ? "true" : "false")
        case .int(let number):
            if number < 0 {
                buffer.append(UInt8(ascii: "-"))
                appendDecimal(number.magnitude)
            } else {
                appendDecimal(UInt64(number))
            }
        case .uint(let number): appendDecimal(number)
        case .double(let number): appendDouble(number)
        case .string(let string): appendString(string)
        case .array(let elements): writeArray(elements, indent: indent)
        case .object(let object): writeObject(object, indent: indent)
        }
    }

    private mutating func writeArray(_ elements: [JSONValue], indent: Int) {
        buffer.append(UInt8(ascii: "["))
        if elements.isEmpty {
            buffer.append(UInt8(ascii: "]"))
            return
        }
        var first = true
        for element in elements {
            if !first { buffer.append(UInt8(ascii: ",")) }
            first = false
            if pretty { newline(indent: indent + 1) }
            write(element, indent: indent + 1)
        }
        if pretty { newline(indent: indent) }
        buffer.append(UInt8(ascii: "]"))
    }

    private mutating func writeObject(_ object: JSONObject, indent: Int) {
        buffer.append(UInt8(ascii: "{"))
        if object.isEmpty {
            buffer.append(UInt8(ascii: "}"))
            return
        }
        var first = true
        for (key, value) in object.members {
            if !first { buffer.append(UInt8(ascii: ",")) }
            first = false
            if pretty { newline(indent: indent + 1) }
            appendString(key)
            buffer.append(UInt8(ascii: ":"))
            if pretty { buffer.append(UInt8(ascii: " ")) }
            write(value, indent: indent + 1)
        }
        if pretty { newline(indent: indent) }
        buffer.append(UInt8(ascii: "}"))
    }

    private mutating func newline(indent: Int) {
        buffer.append(0x0A)
        buffer.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent * 2))
    }

    private mutating func appendLiteral(_ literal: StaticString) {
        buffer.append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    private mutating func appendDecimal(_ number: UInt64) {
        if number < 10 {
            buffer.append(UInt8(ascii: "0") + UInt8(number))
            return
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var remaining = number
            var position = 20
            while remaining > 0 {
                position -= 1
                digits[position] = UInt8(ascii: "0") + UInt8(remaining % 10)
                remaining /= 10
            }
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: digits[position..<20]))
        }
    }

    private mutating func appendDouble(_ number: Double) {
        guard number.isFinite else {
            appendLiteral("null")
            return
        }
        // The standard library prints the shortest round-tripping form; its spellings
        // ("1.0", "1e-05", "5e-324", "-0.0") are all valid JSON numbers.
        buffer.append(contentsOf: number.description.utf8)
    }

    private mutating func appendString(_ string: String) {
        buffer.append(UInt8(ascii: "\""))
        let handled: Void? = string.utf8.withContiguousStorageIfAvailable { bytes in appendEscaped(bytes) }
        if handled == nil {
            var copy = string
            copy.withUTF8 { bytes in appendEscaped(bytes) }
        }
        buffer.append(UInt8(ascii: "\""))
    }

    private mutating func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>) {
        var runStart = 0
        for position in 0..<bytes.count {
            let byte = bytes[position]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            if runStart < position {
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<position]))
            }
            runStart = position + 1
            buffer.append(UInt8(ascii: "\\"))
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): buffer.append(byte)
            case 0x08: buffer.append(UInt8(ascii: "b"))
            case 0x0C: buffer.append(UInt8(ascii: "f"))
            case 0x0A: buffer.append(UInt8(ascii: "n"))
            case 0x0D: buffer.append(UInt8(ascii: "r"))
            case 0x09: buffer.append(UInt8(ascii: "t"))
            default:
                buffer.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
                buffer.append(hexDigits[Int(byte >> 4)])
                buffer.append(hexDigits[Int(byte & 0x0F)])
            }
        }
        if runStart < bytes.count { buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...])) }
    }
}
