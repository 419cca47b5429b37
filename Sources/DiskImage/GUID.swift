/// A 128-bit GPT/UUID identifier, stored in canonical (big-endian, as printed) byte order.
///
/// GPT stores GUIDs "mixed-endian" (first three fields little-endian); `init(gptBytes:)` converts,
/// so comparisons with the spec's printed type UUIDs and with dm-verity root hashes are plain
/// byte comparisons.
package struct GUID: Hashable, Sendable, CustomStringConvertible {
    /// The 16 bytes in canonical order.
    package let bytes: [UInt8]

    package init?(canonicalBytes: [UInt8]) {
        guard canonicalBytes.count == 16 else { return nil }
        bytes = canonicalBytes
    }

    /// Decodes GPT's on-disk layout.
    package init?(gptBytes raw: some Collection<UInt8>) {
        let raw = Array(raw)
        guard raw.count == 16 else { return nil }
        bytes = [raw[3], raw[2], raw[1], raw[0], raw[5], raw[4], raw[7], raw[6]] + raw[8..<16]
    }

    /// Parses `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` (either case, dashes optional).
    package init?(_ text: String) {
        var digits: [UInt8] = []
        for scalar in text.unicodeScalars where scalar != "-" {
            guard let value = hexValue(scalar) else { return nil }
            digits.append(value)
        }
        guard digits.count == 32 else { return nil }
        bytes = stride(from: 0, to: 32, by: 2).map { digits[$0] << 4 | digits[$0 + 1] }
    }

    /// The GPT on-disk encoding (used by test image builders).
    package var gptBytes: [UInt8] {
        [bytes[3], bytes[2], bytes[1], bytes[0], bytes[5], bytes[4], bytes[7], bytes[6]] + bytes[8..<16]
    }

    package var isZero: Bool { bytes.allSatisfy { $0 == 0 } }

    /// Lower-case canonical text.
    package var description: String {
        var text = ""
        for (index, byte) in bytes.enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 { text += "-" }
            text += hexByte(byte)
        }
        return text
    }
}

func hexValue(_ scalar: Unicode.Scalar) -> UInt8? {
    switch scalar.value {
    case 0x30...0x39: UInt8(scalar.value - 0x30)
    case 0x41...0x46: UInt8(scalar.value - 0x41 + 10)
    case 0x61...0x66: UInt8(scalar.value - 0x61 + 10)
    default: nil
    }
}

func hexByte(_ byte: UInt8) -> String {
    let digits = Array("0123456789abcdef")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
}

/// Lower-case hex of a byte string (root hashes).
func hexString(_ bytes: some Sequence<UInt8>) -> String {
    bytes.map(hexByte).joined()
}

/// Parses an even-length hex string (whitespace around it ignored); nil on any other character.
func parseHex(_ text: some StringProtocol) -> [UInt8]? {
    let trimmed = text.unicodeScalars.filter { !($0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r") }
    guard !trimmed.isEmpty, trimmed.count % 2 == 0 else { return nil }
    var bytes: [UInt8] = []
    var high: UInt8?
    for scalar in trimmed {
        guard let value = hexValue(scalar) else { return nil }
        if let pending = high {
            bytes.append(pending << 4 | value)
            high = nil
        } else {
            high = value
        }
    }
    return bytes
}
