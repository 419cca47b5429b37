/// One D-Bus value, as a served call's arguments are read and its reply is written.
///
/// Containers carry their element signature so an empty array still has a type on the wire.
package indirect enum BusValue: Sendable, Equatable {
    case string(String)
    case objectPath(String)
    case signature(String)
    case boolean(Bool)
    case byte(UInt8)
    case int16(Int16)
    case uint16(UInt16)
    case int32(Int32)
    case uint32(UInt32)
    case int64(Int64)
    case uint64(UInt64)
    case double(Double)
    /// A file descriptor index (`h`); the descriptor stays owned by the message.
    case unixFD(Int32)
    /// `ay`, kept as bytes rather than an array of `.byte` values.
    case bytes([UInt8])
    /// `a<element>`; for dictionaries the element is `{KV}` and the items are `.dictEntry`.
    case array(element: String, [BusValue])
    case dictEntry(BusValue, BusValue)
    case structure([BusValue])
    case variant(BusValue)

    /// The value's D-Bus signature.
    package var signature: String {
        switch self {
        case .string: "s"
        case .objectPath: "o"
        case .signature: "g"
        case .boolean: "b"
        case .byte: "y"
        case .int16: "n"
        case .uint16: "q"
        case .int32: "i"
        case .uint32: "u"
        case .int64: "x"
        case .uint64: "t"
        case .double: "d"
        case .unixFD: "h"
        case .bytes: "ay"
        case .array(let element, _): "a" + element
        case .dictEntry(let key, let value): "{" + key.signature + value.signature + "}"
        case .structure(let fields): "(" + fields.map(\.signature).joined() + ")"
        case .variant: "v"
        }
    }

    /// `a{sKIND}` from pairs in the given order.
    package static func dictionary(valueSignature: String, _ pairs: [(String, BusValue)]) -> BusValue {
        .array(element: "{s\(valueSignature)}", pairs.map { .dictEntry(.string($0.0), $0.1) })
    }

    /// `as`.
    package static func strings(_ strings: [String]) -> BusValue {
        .array(element: "s", strings.map(BusValue.string))
    }

    // MARK: - Reading arguments

    package var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    package var boolValue: Bool? {
        if case .boolean(let value) = self { return value }
        return nil
    }

    package var uint64Value: UInt64? {
        if case .uint64(let value) = self { return value }
        return nil
    }

    /// The strings of an `as`.
    package var stringsValue: [String]? {
        guard case .array("s", let items) = self else { return nil }
        return items.compactMap(\.stringValue)
    }
}
