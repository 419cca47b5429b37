import Testing
import VarlinkJSON

@Suite struct ParserTests {
    private func kind(_ text: String) -> JSONError.Kind? {
        do {
            _ = try JSONParser.parse(text)
            return nil
        } catch {
            return error.kind
        }
    }

    @Test func topLevelScalarsAndWhitespace() throws {
        #expect(try JSONParser.parse(" \t\r\n true \n") == .bool(true))
        #expect(try JSONParser.parse("null") == .null)
        #expect(try JSONParser.parse("\"x\"") == .string("x"))
        #expect(try JSONParser.parse("-12.5e2") == .double(-1250))
        #expect(try JSONParser.parse("1E+2") == .double(100))
        #expect(try JSONParser.parse("0.5") == .double(0.5))
    }

    @Test(arguments: ["\u{0B}1", "1\u{0C}", "\u{A0}1", "\u{FEFF}1"])
    func onlyTheFourRFCWhitespaceBytesAreAccepted(input: String) {
        #expect(kind(input) != nil)
    }

    @Test func emptyAndTruncatedInput() {
        #expect(throws: JSONError(.unexpectedEnd, at: 0)) { try JSONParser.parse([UInt8]()) }
        #expect(kind("   ") == .unexpectedEnd)
        #expect(kind("[1,") == .unexpectedEnd)
        #expect(kind("{\"a\"") == .unexpectedEnd)
        #expect(kind("\"abc") == .unexpectedEnd)
        #expect(kind("\"a\\") == .unexpectedEnd)
        #expect(kind("\"\\u12") == .unexpectedEnd)
        #expect(kind("tru") == .unexpectedEnd)
    }

    @Test func malformedLiteralsAndNumbers() {
        #expect(kind("nul1") == .unexpectedByte(UInt8(ascii: "1")))
        #expect(kind("True") == .unexpectedByte(UInt8(ascii: "T")))
        #expect(kind("-") == .invalidNumber)
        #expect(kind("1.") == .invalidNumber)
        #expect(kind("1.e5") == .invalidNumber)
        #expect(kind("1e") == .invalidNumber)
        #expect(kind("1e+") == .invalidNumber)
        #expect(kind(".5") == .unexpectedByte(UInt8(ascii: ".")))
        #expect(kind("+1") == .unexpectedByte(UInt8(ascii: "+")))
        #expect(kind("0x10") == .trailingData)
    }

    @Test func structuralErrorsNameTheByte() {
        #expect(throws: JSONError(.unexpectedByte(UInt8(ascii: "2")), at: 3)) { try JSONParser.parse("[1 2]") }
        #expect(kind(#"{"a" 1}"#) == .unexpectedByte(UInt8(ascii: "1")))
        #expect(kind("{1:2}") == .unexpectedByte(UInt8(ascii: "1")))
        #expect(kind("[,1]") == .unexpectedByte(UInt8(ascii: ",")))
        #expect(kind(#"{"a":1 "b":2}"#) == .unexpectedByte(UInt8(ascii: "\"")))
        #expect(kind("]") == .unexpectedByte(UInt8(ascii: "]")))
    }

    @Test func escapes() throws {
        #expect(try JSONParser.parse(#""\"\\\/\b\f\n\r\t""#) == .string("\"\\/\u{8}\u{C}\n\r\t"))
        #expect(try JSONParser.parse(#""\u00e9\u20AC x""#) == .string("é€ x"))
        #expect(kind(#""\x41""#) == .invalidEscape)
        #expect(kind(#""\u00g1""#) == .invalidEscape)
        #expect(kind(#""\U00e9""#) == .invalidEscape)
    }

    @Test func objectsKeepMemberOrder() throws {
        let value = try JSONParser.parse(#"{"z":1,"a":{"y":[],"b":{}},"m":null}"#)
        #expect(value.objectValue?.keys == ["z", "a", "m"])
        #expect(value.objectValue?["a"]?.objectValue?.keys == ["y", "b"])
    }

    @Test func sizeLimit() {
        let limits = JSONLimits(maxInputBytes: 8)
        #expect(throws: Never.self) { try JSONParser.parse("[1,2,3]", limits: limits) }
        #expect(throws: JSONError(.sizeLimitExceeded(limit: 8), at: 8)) {
            try JSONParser.parse("[1,2,3,4]", limits: limits)
        }
    }

    @Test func nonContiguousCollectionsParse() throws {
        let bytes = Array("[true]".utf8).reversed().reversed()
        #expect(try JSONParser.parse(bytes) == .array([.bool(true)]))
        #expect(try JSONParser.parse(Array("{}".utf8)[...]) == .object(JSONObject()))
    }

    @Test func errorsReadWell() {
        let error = JSONError(.unexpectedByte(0x01), at: 4)
        #expect(error.description == "unexpected byte 0x01 at byte offset 4")
        #expect(
            JSONError(.unexpectedByte(UInt8(ascii: "x")), at: 0).description
                == "unexpected character 'x' at byte offset 0"
        )
        #expect(JSONError(.duplicateKey("a"), at: 1).description.contains("\"a\""))
    }

    @Test(arguments: [
        "0.1", "3.141592653589793", "1e-07", "2.2250738585072014e-308", "5e-324", "1.7976931348623157e+308",
        "123456789012345680000.0",
    ])
    func doublesRoundTripExactly(text: String) throws {
        let value = try JSONParser.parse(text)
        guard case .double(let number) = value else {
            Issue.record("\(text) did not parse as a double")
            return
        }
        #expect(number == Double(text)!)
        #expect(try JSONParser.parse(JSONSerializer.serialize(value)) == value)
    }
}
