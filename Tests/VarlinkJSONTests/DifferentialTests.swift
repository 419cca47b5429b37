import Testing
import VarlinkJSON

/// Compares the parser with json-c (strict mode) over generated valid documents and mutated or
/// malformed ones. Every disagreement must fall into one of the explained classes below; an
/// unexplained one fails the test with the input.
@Suite struct DifferentialTests {
    /// Why the two parsers may legitimately disagree. Each case is a documented json-c leniency
    /// or limitation; VarlinkJSON is the strict side in all of them.
    enum ExplainedDifference: String, CaseIterable {
        /// json-c's VALIDATE_UTF8 only checks lead/continuation bit patterns: it accepts overlong
        /// forms (C0 AF), UTF-8-encoded surrogates (ED A0 80, CESU-8) and code points above
        /// U+10FFFF (F4 90.., F5..F7 leads). RFC 3629 forbids all of them.
        case laxUTF8Validation
        /// json-c turns a `\u` escape naming an unpaired surrogate into U+FFFD instead of failing.
        case loneSurrogateReplaced
        /// json-c accepts raw control characters inside strings even in strict mode.
        case rawControlCharacter
        /// json-c lets the last duplicate key win; Varlink objects must have unique keys.
        case duplicateKeyAccepted
        /// json-c parses numbers beyond Double's range (1e400) as infinity.
        case infiniteNumber
        /// json-c accepts single-quoted object keys and NaN/Infinity literals even in strict mode.
        case nonJSONLiteral
        /// json-c saturates integers outside Int64/UInt64 (to INT64_MIN/UINT64_MAX); VarlinkJSON
        /// keeps them as (inexact) doubles, like every other JSON parser.
        case integerSaturation
        /// json-c's number scanner accepts a decimal point with no digits on one side, as long as
        /// it can tell the token is a number: `1.`, `-0.`, `-.5` (but not `.5`).
        case numberMissingDigits
        /// json-c rejects a leading zero only for an unsigned `0` followed by another digit: it
        /// accepts `-05`, `00` and `000` (reading them as -5, 0, 0).
        case leadingZeroAccepted
        /// json-c object keys are C strings: a key containing U+0000 is truncated.
        case keyTruncatedAtNUL
    }

    struct Disagreement: CustomStringConvertible {
        let input: [UInt8]
        let swift: String
        let jsonC: String
        var description: String {
            let text = String(decoding: input, as: UTF8.self).debugDescription
            return "input \(text) bytes \(input.prefix(80)) swift: \(swift) json-c: \(jsonC)"
        }
    }

    @Test func generatedValidDocumentsAgree() throws {
        var generator = JSONTestGenerator(seed: 0x5EED_0001)
        var seen: [ExplainedDifference: Int] = [:]
        var unexplained: [Disagreement] = []
        for round in 0..<3000 {
            let value = generator.value()
            let bytes = JSONSerializer.serialize(value, pretty: round % 4 == 0)
            // Our own round trip must be exact.
            let reparsed = try JSONParser.parse(bytes)
            #expect(reparsed == value, "round trip of \(JSONSerializer.string(value))")
            compare(bytes, seen: &seen, unexplained: &unexplained)
        }
        #expect(unexplained.isEmpty, "\(unexplained.count) unexplained: \(unexplained.prefix(3))")
        // Valid documents without NUL keys must agree exactly.
        #expect(seen.keys.allSatisfy { $0 == .keyTruncatedAtNUL }, "\(seen)")
    }

    @Test func mutatedDocumentsDisagreeOnlyInExplainedWays() throws {
        var generator = JSONTestGenerator(seed: 0x5EED_0002)
        var seen: [ExplainedDifference: Int] = [:]
        var unexplained: [Disagreement] = []
        for _ in 0..<10000 {
            let original = JSONSerializer.serialize(generator.value())
            compare(generator.mutate(original), seen: &seen, unexplained: &unexplained)
        }
        #expect(unexplained.isEmpty, "\(unexplained.count) unexplained: \(unexplained.prefix(3))")
        print("differential (mutated): explained disagreements \(seen.sorted { $0.key.rawValue < $1.key.rawValue })")
        // The mutator is built to hit json-c's leniencies; if none shows up it has gone blind.
        #expect(seen.count >= 4, "\(seen)")
    }

    @Test(arguments: [
        (#"{"a":1,"a":2}"#, ExplainedDifference.duplicateKeyAccepted),
        (#"["\ud800"]"#, .loneSurrogateReplaced),
        (#"["\udc00x"]"#, .loneSurrogateReplaced),
        ("[\"a\tb\"]", .rawControlCharacter),
        ("[1e400]", .infiniteNumber),
        ("{'a':1}", .nonJSONLiteral),
        ("[NaN]", .nonJSONLiteral),
        ("[-Infinity]", .nonJSONLiteral),
        ("[18446744073709551616]", .integerSaturation),
        ("[-9223372036854775809]", .integerSaturation),
        (#"{"a\u0000b":1}"#, .keyTruncatedAtNUL),
        ("[1.]", .numberMissingDigits),
        ("-0.", .numberMissingDigits),
        ("[-.5]", .numberMissingDigits),
        ("[-05]", .leadingZeroAccepted),
        ("000", .leadingZeroAccepted),
    ])
    func knownDifferencesAreClassified(input: String, expected: ExplainedDifference) {
        var seen: [ExplainedDifference: Int] = [:]
        var unexplained: [Disagreement] = []
        compare(Array(input.utf8), seen: &seen, unexplained: &unexplained)
        #expect(unexplained.isEmpty, "\(unexplained)")
        #expect(seen[expected] == 1, "\(seen)")
    }

    @Test(arguments: [[0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80]] as [[UInt8]])
    func laxUTF8IsClassified(sequence: [UInt8]) {
        var seen: [ExplainedDifference: Int] = [:]
        var unexplained: [Disagreement] = []
        compare([0x22] + sequence + [0x22], seen: &seen, unexplained: &unexplained)
        #expect(unexplained.isEmpty, "\(unexplained)")
        #expect(seen[.laxUTF8Validation] == 1, "\(seen)")
    }

    private func compare(
        _ bytes: [UInt8],
        seen: inout [ExplainedDifference: Int],
        unexplained: inout [Disagreement]
    ) {
        let ours = Result { () throws(JSONError) in try JSONParser.parse(bytes) }
        let theirs = JSONCReference.parse(bytes)
        let difference: ExplainedDifference?
        switch (ours, theirs) {
        case (.failure, .rejected):
            return
        case (.success(let swiftValue), .accepted(let cValue)):
            if swiftValue == cValue { return }
            difference = DifferenceClassifier.valueDifference(swift: swiftValue, jsonC: cValue)
        case (.failure(let error), .accepted):
            difference = DifferenceClassifier.rejectedOnlyByUs(error, input: bytes)
        case (.success, .rejected):
            difference = nil
        }
        if let difference {
            seen[difference, default: 0] += 1
        } else {
            unexplained.append(Disagreement(input: bytes, swift: "\(ours)", jsonC: "\(theirs)"))
        }
    }
}
