import Testing
import VarlinkJSON

/// One test per row of the edge-case table of the JSON codec comparison (strictness cases a parser must get right).
@Suite struct EdgeCaseTableTests {
    private func parse(_ bytes: [UInt8]) -> Result<JSONValue, JSONError> {
        Result { () throws(JSONError) in try JSONParser.parse(bytes) }
    }

    private func kind(_ text: String) -> JSONError.Kind? {
        if case .failure(let error) = parse(Array(text.utf8)) { return error.kind }
        return nil
    }

    @Test func invalidUTF8ByteIsRejected() {
        #expect(throws: JSONError(.invalidUTF8, at: 1)) { try JSONParser.parse([0x22, 0xFF, 0x22]) }
    }

    @Test(arguments: [[0xC0, 0xAF], [0xC1, 0xBF], [0xE0, 0x80, 0xAF], [0xF0, 0x80, 0x80, 0xAF]] as [[UInt8]])
    func overlongUTF8IsRejected(sequence: [UInt8]) {
        #expect(throws: JSONError(.invalidUTF8, at: 2)) {
            try JSONParser.parse([0x5B, 0x22] + sequence + [0x22, 0x5D])
        }
    }

    @Test(
        arguments: [[0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80]]
            as [[UInt8]]
    )
    func encodedSurrogatesAndBeyondUnicodeAreRejected(sequence: [UInt8]) {
        #expect(throws: JSONError(.invalidUTF8, at: 1)) { try JSONParser.parse([0x22] + sequence + [0x22]) }
    }

    @Test(arguments: [[0xC3], [0xE2, 0x82], [0xF0, 0x9F, 0x98], [0x80], [0xE2, 0x28, 0xA1]] as [[UInt8]])
    func truncatedOrStrayUTF8IsRejected(sequence: [UInt8]) {
        #expect(throws: JSONError(.invalidUTF8, at: 1)) { try JSONParser.parse([0x22] + sequence + [0x22]) }
    }

    @Test func validMultiByteUTF8IsKept() throws {
        let text = "é€😀\u{10FFFF}\u{FFFD}"
        #expect(try JSONParser.parse("\"\(text)\"") == .string(text))
    }

    @Test(arguments: [#"["\ud800"]"#, #"["\udc00"]"#, #"["\ud800\u0041"]"#, #"["\ud800x"]"#, #"["\udbff\ud800"]"#])
    func loneSurrogatesAreRejected(input: String) {
        #expect(kind(input) == .loneSurrogate)
    }

    @Test func surrogatePairDecodes() throws {
        #expect(try JSONParser.parse(#""\ud83d\ude00""#) == .string("😀"))
        #expect(try JSONParser.parse(#""\uD83D\uDE00""#) == .string("😀"))
    }

    @Test func duplicateKeysAreRejectedWithTheKey() {
        #expect(throws: JSONError(.duplicateKey("a"), at: 7)) { try JSONParser.parse(#"{"a":1,"a":2}"#) }
        // Also past the linear-scan threshold, where a set takes over.
        let members = (0..<40).map { "\"k\($0)\":\($0)" }.joined(separator: ",")
        #expect(kind("{\(members),\"k3\":0}") == .duplicateKey("k3"))
        #expect(kind("{\(members)}") == nil)
    }

    @Test func depth64IsAccepted() throws {
        let nested = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(throws: Never.self) { try JSONParser.parse(nested) }
    }

    @Test(arguments: ["[", "{\"a\":"])
    func depth10000IsRejectedAtTheLimit(opener: String) {
        let text = String(repeating: opener, count: 10_000)
        #expect(kind(text) == .depthLimitExceeded(limit: 512))
    }

    @Test func depthLimitIsConfigurableAndExact() throws {
        let limits = JSONLimits(maxDepth: 3)
        #expect(throws: Never.self) { try JSONParser.parse("[[[]]]", limits: limits) }
        #expect(throws: JSONError(.depthLimitExceeded(limit: 3), at: 3)) {
            try JSONParser.parse("[[[[]]]]", limits: limits)
        }
        let defaultDeepest = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect(throws: Never.self) { try JSONParser.parse(defaultDeepest) }
        #expect(kind("[" + defaultDeepest + "]") == .depthLimitExceeded(limit: 512))
    }

    @Test func hugeExponentIsOutOfRange() {
        #expect(kind("1e400") == .numberOutOfRange)
        #expect(kind("-1e400") == .numberOutOfRange)
    }

    @Test func tinyExponentUnderflowsToZero() throws {
        #expect(try JSONParser.parse("1e-400") == .double(0))
    }

    @Test func negativeZero() throws {
        #expect(try JSONParser.parse("-0") == .int(0))
        guard case .double(let value) = try JSONParser.parse("-0.0") else { Issue.record("not a double"); return }
        #expect(value == 0 && value.sign == .minus)
    }

    @Test func int64ExtremesAreExact() throws {
        #expect(try JSONParser.parse("9223372036854775807") == .int(Int64.max))
        #expect(try JSONParser.parse("-9223372036854775808") == .int(Int64.min))
    }

    @Test func twoTo63IsAnExactUInt() throws {
        #expect(try JSONParser.parse("9223372036854775808") == .uint(1 << 63))
        #expect(try JSONParser.parse("18446744073709551615") == .uint(UInt64.max))
    }

    @Test func beyondUInt64BecomesDouble() throws {
        #expect(try JSONParser.parse("18446744073709551616") == .double(18446744073709551616.0))
        #expect(try JSONParser.parse("-9223372036854775809") == .double(-9223372036854775809.0))
    }

    @Test func nulEscapeIsKept() throws {
        #expect(try JSONParser.parse(#""a\u0000b""#) == .string("a\u{0}b"))
    }

    @Test(arguments: [0x09, 0x0A, 0x00, 0x01, 0x1F] as [UInt8])
    func rawControlCharacterInStringIsRejected(byte: UInt8) {
        #expect(throws: JSONError(.controlCharacterInString, at: 2)) { try JSONParser.parse([0x22, 0x61, byte, 0x22]) }
    }

    @Test func trailingCommaIsRejected() {
        #expect(throws: JSONError(.trailingComma, at: 3)) { try JSONParser.parse("[1,]") }
        #expect(kind(#"{"a":1,}"#) == .trailingComma)
        #expect(kind("[1, ]") == .trailingComma)
    }

    @Test func commentsAndLeadingZerosAreRejected() {
        #expect(kind("[1/*c*/]") == .unexpectedByte(UInt8(ascii: "/")))
        #expect(kind("[01]") == .leadingZero)
        #expect(kind("-01") == .leadingZero)
        #expect(kind("00") == .leadingZero)
    }

    @Test func singleQuotesAndNaNAreRejected() {
        #expect(kind("{'a':1}") == .unexpectedByte(UInt8(ascii: "'")))
        #expect(kind("[NaN]") == .unexpectedByte(UInt8(ascii: "N")))
        #expect(kind("[Infinity]") == .unexpectedByte(UInt8(ascii: "I")))
        #expect(kind("-Infinity") == .invalidNumber)
    }

    @Test func trailingDataIsRejected() {
        #expect(throws: JSONError(.trailingData, at: 3)) { try JSONParser.parse("{} x") }
        #expect(kind("{}{}") == .trailingData)
        #expect(kind("1 2") == .trailingData)
    }

    @Test func negativeZeroSerializesAsDouble() {
        #expect(JSONSerializer.string(.double(-0.0)) == "-0.0")
        #expect(JSONSerializer.string(.int(0)) == "0")
    }

    @Test func nonFiniteDoublesSerializeAsNull() {
        // Documented choice: the serializer never fails; the Codable encoder rejects these.
        #expect(
            JSONSerializer.string(.array([.double(.infinity), .double(-.infinity), .double(.nan)]))
                == "[null,null,null]"
        )
    }
}
