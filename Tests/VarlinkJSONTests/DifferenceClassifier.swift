import VarlinkJSON

/// Decides which explained class a disagreement with json-c belongs to, by checking the input
/// at the position our parser reported, not just the error kind.
enum DifferenceClassifier {
    typealias Difference = DifferentialTests.ExplainedDifference

    static func rejectedOnlyByUs(_ error: JSONError, input: [UInt8]) -> Difference? {
        let at = error.offset
        func byte(_ offset: Int) -> UInt8? { offset < input.count ? input[offset] : nil }
        switch error.kind {
        case .invalidUTF8:
            guard let lead = byte(at) else { return nil }
            let second = byte(at + 1) ?? 0
            let overlong =
                lead == 0xC0 || lead == 0xC1 || (lead == 0xE0 && second < 0xA0) || (lead == 0xF0 && second < 0x90)
            let surrogate = lead == 0xED && second >= 0xA0
            let beyondUnicode = (lead == 0xF4 && second >= 0x90) || (0xF5...0xF7).contains(lead)
            return overlong || surrogate || beyondUnicode ? .laxUTF8Validation : nil
        case .loneSurrogate:
            return .loneSurrogateReplaced
        case .controlCharacterInString:
            return byte(at).map { $0 < 0x20 } == true ? .rawControlCharacter : nil
        case .leadingZero:
            let isDigit = byte(at + 1).map { (0x30...0x39).contains($0) } ?? false
            return byte(at) == UInt8(ascii: "0") && isDigit ? .leadingZeroAccepted : nil
        case .duplicateKey:
            return .duplicateKeyAccepted
        case .numberOutOfRange:
            return .infiniteNumber
        case .unexpectedByte(let found):
            // Quote or NaN/Infinity at the point a value was expected.
            let literalStarts: Set<UInt8> = [
                UInt8(ascii: "'"), UInt8(ascii: "N"), UInt8(ascii: "I"), UInt8(ascii: "n"), UInt8(ascii: "i"),
            ]
            if literalStarts.contains(found) { return .nonJSONLiteral }
            // `-Infinity`, `-NaN`: the number grammar fails right after the sign.
            return nil
        case .invalidNumber:
            if byte(at) == UInt8(ascii: "-"), let next = byte(at + 1),
                [UInt8(ascii: "I"), UInt8(ascii: "N"), UInt8(ascii: "i"), UInt8(ascii: "n")].contains(next)
            {
                return .nonJSONLiteral
            }
            if byte(at) == UInt8(ascii: "-") && byte(at + 1) == UInt8(ascii: ".") { return .numberMissingDigits }
            // Our error points at the number's start; json-c accepts "digits." with nothing after.
            var position = at
            if byte(position) == UInt8(ascii: "-") { position += 1 }
            while let digit = byte(position), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(digit) { position += 1 }
            if byte(position) == UInt8(ascii: "."), !(byte(position + 1).map { (0x30...0x39).contains($0) } ?? false) {
                return .numberMissingDigits
            }
            return nil
        default:
            return nil
        }
    }

    static func valueDifference(swift: JSONValue, jsonC: JSONValue) -> Difference? {
        switch (swift, jsonC) {
        case (.double(let number), .int(let saturated)) where number < -9.2e18 && saturated == Int64.min:
            return .integerSaturation
        case (.double(let number), .uint(let saturated)) where number > 1.8e19 && saturated == UInt64.max:
            return .integerSaturation
        case (.array(let ours), .array(let theirs)) where ours.count == theirs.count:
            for (left, right) in zip(ours, theirs) where left != right {
                return valueDifference(swift: left, jsonC: right)
            }
            return nil
        case (.object(let ours), .object(let theirs)):
            if ours.keys.contains(where: { $0.utf8.contains(0) }) { return .keyTruncatedAtNUL }
            guard ours.count == theirs.count else { return nil }
            for (key, left) in ours {
                guard let right = theirs[key] else { return nil }
                if left != right { return valueDifference(swift: left, jsonC: right) }
            }
            return nil
        default:
            return nil
        }
    }
}
