/// systemd's bus labels (`bus_label_escape`): an image name as one object path element. ASCII
/// letters and digits stay, every other byte becomes `_` and two lowercase hex digits, and the
/// empty string is `_`; `minimal_1` is `minimal_5f1`.
package enum BusLabel {
    package static func escape(_ text: String) -> String {
        guard !text.isEmpty else { return "_" }
        // One buffer, at most three bytes per byte.
        return String(unsafeUninitializedCapacity: text.utf8.count * 3) { escape(text, into: $0) }
    }

    /// `prefix/LABEL` as a NUL-terminated C string in one temporary buffer, handed to `body`: ListImages
    /// writes an object path per image, and a `String` each was an allocation and a copy more.
    package static func withObjectPath<Result, Failure: Error>(
        prefix: String,
        _ text: String,
        _ body: (UnsafePointer<CChar>) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        let prefixCount = prefix.utf8.count
        let capacity = prefixCount + 1 + max(1, text.utf8.count * 3) + 1
        return try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) {
            (buffer: UnsafeMutableBufferPointer<UInt8>) throws(Failure) -> Result in
            _ = buffer.initialize(from: prefix.utf8)
            buffer[prefixCount] = UInt8(ascii: "/")
            var end = prefixCount + 1
            if text.isEmpty {
                buffer[end] = UInt8(ascii: "_")
                end += 1
            } else {
                end += escape(text, into: UnsafeMutableBufferPointer(rebasing: buffer[end...]))
            }
            buffer[end] = 0
            return try buffer.withMemoryRebound(to: CChar.self) {
                (characters: UnsafeMutableBufferPointer<CChar>) throws(Failure) -> Result in
                try body(UnsafePointer(characters.baseAddress!))
            }
        }
    }

    /// Writes the label of a non-empty `text` into `buffer` (room for three bytes per byte); returns its length.
    private static func escape(_ text: String, into buffer: UnsafeMutableBufferPointer<UInt8>) -> Int {
        var count = 0
        for byte in text.utf8 {
            if isLetterOrDigit(byte) {
                buffer[count] = byte
                count += 1
            } else {
                buffer[count] = UInt8(ascii: "_")
                buffer[count + 1] = hexDigit(byte >> 4)
                buffer[count + 2] = hexDigit(byte & 0xF)
                count += 3
            }
        }
        return count
    }

    /// The text a label stands for; nil when it is not a valid escape (a stray `_`, bad hex, bad UTF-8).
    package static func unescape(_ label: String) -> String? {
        if label == "_" { return "" }
        var bytes: [UInt8] = []
        var iterator = Array(label.utf8).makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "_") {
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue)
                else { return nil }
                bytes.append(high << 4 | low)
            } else {
                guard isLetterOrDigit(byte) else { return nil }
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func isLetterOrDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
