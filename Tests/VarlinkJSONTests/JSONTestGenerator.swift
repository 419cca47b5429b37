import TestSupport
import VarlinkJSON

/// Builds random valid JSON values and malformed variants of their text.
struct JSONTestGenerator {
    var random: SeededGenerator

    init(seed: UInt64) { random = SeededGenerator(seed: seed) }

    mutating func value(depth: Int = 0) -> JSONValue {
        let choice = Int.random(in: 0..<(depth >= 4 ? 6 : 9), using: &random)
        switch choice {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &random))
        case 2: return integer()
        case 3: return double()
        case 4, 5: return .string(string())
        case 6, 7:
            var object = JSONObject()
            for _ in 0..<Int.random(in: 0..<6, using: &random) { object[string()] = value(depth: depth + 1) }
            return .object(object)
        default:
            return .array((0..<Int.random(in: 0..<6, using: &random)).map { _ in value(depth: depth + 1) })
        }
    }

    mutating func integer() -> JSONValue {
        switch Int.random(in: 0..<6, using: &random) {
        case 0: return .int(Int64.random(in: -1000...1000, using: &random))
        case 1: return .int(Int64.random(in: Int64.min...Int64.max, using: &random))
        case 2: return .int([Int64.min, Int64.max, 0, -1][Int.random(in: 0..<4, using: &random)])
        case 3: return .uint(UInt64.random(in: UInt64(Int64.max) + 1...UInt64.max, using: &random))
        case 4: return .uint(UInt64.max)
        default: return .int(Int64(Int32.random(in: Int32.min...Int32.max, using: &random)))
        }
    }

    mutating func double() -> JSONValue {
        switch Int.random(in: 0..<4, using: &random) {
        case 0:
            // Any finite bit pattern, subnormals included.
            while true {
                let candidate = Double(bitPattern: random.next())
                if candidate.isFinite { return .double(candidate) }
            }
        case 1: return .double(Double.random(in: -1e6...1e6, using: &random))
        case 2:
            return .double(
                [0.1, 3.141592653589793, 1e-300, Double.leastNonzeroMagnitude, 1.7976931348623157e308, -0.0, 2.5][
                    Int.random(in: 0..<7, using: &random)
                ]
            )
        default: return .double(Double(Int.random(in: -100...100, using: &random)) / 8)
        }
    }

    mutating func string() -> String {
        let alphabet: [Unicode.Scalar] = [
            "a", "b", "z", "0", " ", "\"", "\\", "/", "\n", "\t", "\u{0}", "\u{1}", "\u{1F}", "\u{7F}",
            "é", "ß", "\u{7FF}", "\u{800}", "€", "\u{FFFD}", "\u{FFFF}", "\u{10000}", "😀", "\u{10FFFF}",
        ]
        var text = ""
        for _ in 0..<Int.random(in: 0..<12, using: &random) {
            text.unicodeScalars.append(alphabet[Int.random(in: 0..<alphabet.count, using: &random)])
        }
        return text
    }

    /// Bytes likely to break a document somewhere interesting.
    static let interestingBytes: [UInt8] = [
        0x22, 0x5C, 0x2C, 0x3A, 0x5B, 0x5D, 0x7B, 0x7D, 0x30, 0x2D, 0x2E, 0x65, 0x2B, 0x20, 0x09, 0x0A,
        0x00, 0x01, 0x27, 0x2F, 0x2A, 0x4E, 0x49, 0x74, 0x6E, 0x75, 0x80, 0xBF, 0xC0, 0xC1, 0xC3, 0xE0,
        0xED, 0xA0, 0xF0, 0xF4, 0xF5, 0xFF,
    ]

    /// A copy of `bytes` with one to three random edits.
    mutating func mutate(_ bytes: [UInt8]) -> [UInt8] {
        var result = bytes
        for _ in 0..<Int.random(in: 1...3, using: &random) {
            let position = result.isEmpty ? 0 : Int.random(in: 0..<result.count, using: &random)
            let byte = Self.interestingBytes[Int.random(in: 0..<Self.interestingBytes.count, using: &random)]
            switch Int.random(in: 0..<5, using: &random) {
            case 0 where !result.isEmpty: result[position] = byte
            case 1: result.insert(byte, at: position)
            case 2 where !result.isEmpty: result.remove(at: position)
            case 3: result = Array(result[..<position])
            default:
                let snippets: [[UInt8]] = [
                    Array("\\u".utf8), Array("\\ud800".utf8), Array("\\udc00".utf8), Array(",]".utf8),
                    Array("01".utf8), Array("1e400".utf8), Array("NaN".utf8), Array("'a'".utf8),
                    [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], Array("/**/".utf8),
                ]
                result.insert(
                    contentsOf: snippets[Int.random(in: 0..<snippets.count, using: &random)],
                    at: position
                )
            }
        }
        return result
    }
}
