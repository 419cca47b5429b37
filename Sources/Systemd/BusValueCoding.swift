internal import CSystemd
import SystemCalls

#if canImport(Glibc)
import Glibc
#endif

/// Reads any message body into `BusValue`s and writes `BusValue`s into a message, with
/// `sd_bus_message_*`. Used for served calls, whose arguments come from arbitrary clients: every
/// failure is a thrown error, never a trap.
enum BusValueCoding {
    /// At most this many array elements in total per message, so a huge array costs bounded memory.
    static let maximumElements = 1_000_000

    /// Reads the remaining values of the current container (the body, at the top level).
    static func readAll(_ message: OpaquePointer, budget: inout Int) throws(SystemdError) -> [BusValue] {
        var values: [BusValue] = []
        while true {
            var type: CChar = 0
            var contents: UnsafePointer<CChar>? = nil
            let more = sd_bus_message_peek_type(message, &type, &contents)
            try SDBus.check("sd_bus_message_peek_type", more)
            if more == 0 { return values }
            budget -= 1
            guard budget >= 0 else { throw .invalidArgument("Too many values in one message.") }
            values.append(
                try readOne(message, type: type, contents: contents.map { String(cString: $0) }, budget: &budget)
            )
        }
    }

    private static func readOne(
        _ message: OpaquePointer,
        type: CChar,
        contents: String?,
        budget: inout Int
    ) throws(SystemdError) -> BusValue {
        switch UInt8(bitPattern: type) {
        case UInt8(ascii: "s"): return .string(try readText(message, type))
        case UInt8(ascii: "o"): return .objectPath(try readText(message, type))
        case UInt8(ascii: "g"): return .signature(try readText(message, type))
        case UInt8(ascii: "b"): return .boolean(try readBasic(message, type, Int32(0)) != 0)
        case UInt8(ascii: "y"): return .byte(try readBasic(message, type, UInt8(0)))
        case UInt8(ascii: "n"): return .int16(try readBasic(message, type, Int16(0)))
        case UInt8(ascii: "q"): return .uint16(try readBasic(message, type, UInt16(0)))
        case UInt8(ascii: "i"): return .int32(try readBasic(message, type, Int32(0)))
        case UInt8(ascii: "u"): return .uint32(try readBasic(message, type, UInt32(0)))
        case UInt8(ascii: "x"): return .int64(try readBasic(message, type, Int64(0)))
        case UInt8(ascii: "t"): return .uint64(try readBasic(message, type, UInt64(0)))
        case UInt8(ascii: "d"): return .double(try readBasic(message, type, Double(0)))
        case UInt8(ascii: "h"): return .unixFD(try readBasic(message, type, Int32(0)))
        case UInt8(ascii: "a") where contents == "y":
            var data: UnsafeRawPointer? = nil
            var size = 0
            try SDBus.check("sd_bus_message_read_array", sd_bus_message_read_array(message, BusType.byte, &data, &size))
            return .bytes(data.map { Array(UnsafeRawBufferPointer(start: $0, count: size)) } ?? [])
        case UInt8(ascii: "a"), UInt8(ascii: "r"), UInt8(ascii: "e"), UInt8(ascii: "v"):
            guard let contents else { throw .invalidArgument("Container without contents signature.") }
            try SDBus.check("sd_bus_message_enter_container", sd_bus_message_enter_container(message, type, contents))
            let items = try readAll(message, budget: &budget)
            try SDBus.check("sd_bus_message_exit_container", sd_bus_message_exit_container(message))
            switch UInt8(bitPattern: type) {
            case UInt8(ascii: "a"): return .array(element: contents, items)
            case UInt8(ascii: "r"): return .structure(items)
            case UInt8(ascii: "e"):
                guard items.count == 2 else { throw .invalidArgument("Malformed dictionary entry.") }
                return .dictEntry(items[0], items[1])
            default:
                guard items.count == 1 else { throw .invalidArgument("Malformed variant.") }
                return .variant(items[0])
            }
        default:
            throw .invalidArgument("Unsupported D-Bus type '\(Character(Unicode.Scalar(UInt8(bitPattern: type))))'.")
        }
    }

    /// Appends `value` to the message's current container. `structureContents` is the signature inside
    /// a structure's parentheses when the caller knows it (an array's element), so the hundreds of
    /// entries of a list do not each work out the same signature again.
    static func append(
        _ value: BusValue,
        to message: OpaquePointer,
        structureContents: String? = nil
    ) throws(SystemdError) {
        let writer = BusMessageWriter(message)
        switch value {
        case .string(let text): try writer.appendText(type("s"), text)
        case .objectPath(let text): try writer.appendText(type("o"), text)
        case .signature(let text): try writer.appendText(type("g"), text)
        case .boolean(let flag): try writer.append(flag)
        case .byte(let number): try writer.appendBasic(type("y"), number)
        case .int16(let number): try writer.appendBasic(type("n"), number)
        case .uint16(let number): try writer.appendBasic(type("q"), number)
        case .int32(let number): try writer.appendBasic(type("i"), number)
        case .uint32(let number): try writer.appendBasic(type("u"), number)
        case .int64(let number): try writer.appendBasic(type("x"), number)
        case .uint64(let number): try writer.append(number)
        case .double(let number): try writer.appendBasic(type("d"), number)
        case .unixFD(let fd): try writer.appendBasic(type("h"), fd)
        case .bytes(let bytes):
            let result = bytes.withUnsafeBytes {
                sd_bus_message_append_array(message, BusType.byte, $0.baseAddress, $0.count)
            }
            try SDBus.check("sd_bus_message_append_array", result)
        case .array(let element, let items):
            let isStructure = element.hasPrefix("(") && element.hasSuffix(")")
            let contents = isStructure ? String(element.dropFirst().dropLast()) : nil
            try writer.container(type("a"), element) { () throws(SystemdError) in
                for item in items { try append(item, to: message, structureContents: contents) }
            }
        case .dictEntry(let key, let item):
            let contents = key.signature + item.signature
            try writer.container(type("e"), contents) { () throws(SystemdError) in
                try append(key, to: message)
                try append(item, to: message)
            }
        case .structure(let fields):
            let contents = structureContents ?? fields.map(\.signature).joined()
            try writer.container(type("r"), contents) { () throws(SystemdError) in
                for field in fields { try append(field, to: message) }
            }
        case .variant(let inner):
            try writer.container(type("v"), inner.signature) { () throws(SystemdError) in try append(inner, to: message)
            }
        }
    }

    private static func type(_ code: Unicode.Scalar) -> CChar { CChar(UInt8(ascii: code)) }

    private static func readBasic<Value: BitwiseCopyable>(
        _ message: OpaquePointer,
        _ type: CChar,
        _ initial: Value
    ) throws(SystemdError) -> Value {
        var value = initial
        try SDBus.check("sd_bus_message_read_basic", sd_bus_message_read_basic(message, type, &value))
        return value
    }

    private static func readText(_ message: OpaquePointer, _ type: CChar) throws(SystemdError) -> String {
        try readBasic(message, type, UnsafePointer<CChar>?.none).map { String(cString: $0) } ?? ""
    }
}
