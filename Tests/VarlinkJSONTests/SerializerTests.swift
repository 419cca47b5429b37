import Testing
import VarlinkJSON

@Suite struct SerializerTests {
    @Test func compactOutputIsCanonical() {
        let value: JSONValue = ["b": [1, -2, true, nil, "x"], "a": ["nested": 1.5], "e": [:], "f": []]
        #expect(JSONSerializer.string(value) == #"{"b":[1,-2,true,null,"x"],"a":{"nested":1.5},"e":{},"f":[]}"#)
    }

    @Test func integersAreExact() {
        #expect(JSONSerializer.string(.int(Int64.min)) == "-9223372036854775808")
        #expect(JSONSerializer.string(.int(Int64.max)) == "9223372036854775807")
        #expect(JSONSerializer.string(.uint(UInt64.max)) == "18446744073709551615")
        #expect(JSONSerializer.string(.int(7)) == "7")
        #expect(JSONSerializer.string(.int(-7)) == "-7")
    }

    @Test func doublesUseShortestRoundTripForm() {
        #expect(JSONSerializer.string(.double(1)) == "1.0")
        #expect(JSONSerializer.string(.double(0.1)) == "0.1")
        #expect(JSONSerializer.string(.double(3.141592653589793)) == "3.141592653589793")
        #expect(JSONSerializer.string(.double(1e-5)) == "1e-05")
        #expect(JSONSerializer.string(.double(1e300)) == "1e+300")
        #expect(JSONSerializer.string(.double(Double.leastNonzeroMagnitude)) == "5e-324")
    }

    @Test func stringEscapes() {
        let text = "q\" b\\ s/ \u{8}\u{C}\n\r\t \u{0}\u{1}\u{1F} \u{7F} é😀"
        #expect(JSONSerializer.string(.string(text)) == #""q\" b\\ s/ \b\f\n\r\t \u0000\u0001\u001f "# + "\u{7F} é😀\"")
        #expect(JSONSerializer.string(["k\"ey": "v"]) == #"{"k\"ey":"v"}"#)
    }

    @Test func bridgedStringsAreEscapedToo() {
        // A string built from a Substring/Character mix may not be contiguous UTF-8.
        let text = String("ab\"c".reversed())
        #expect(JSONSerializer.string(.string(text)) == #""c\"ba""#)
    }

    @Test func serializeAppendsToTheBuffer() {
        var buffer = Array("x".utf8)
        JSONSerializer.serialize([1], into: &buffer)
        #expect(buffer == Array("x[1]".utf8))
        JSONSerializer.serialize(["a": 1], pretty: true, into: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == "x[1]{\n  \"a\": 1\n}")
    }

    @Test func prettyOutputMatchesJq() {
        let value: JSONValue = ["a": 1, "b": [true, ["c": nil]], "e": [], "o": [:]]
        let expected = """
            {
              "a": 1,
              "b": [
                true,
                {
                  "c": null
                }
              ],
              "e": [],
              "o": {}
            }
            """
        #expect(JSONSerializer.string(value, pretty: true) == expected)
        #expect(JSONSerializer.string(.int(1), pretty: true) == "1")
    }

    @Test func descriptionIsCompactJSON() {
        let value: JSONValue = ["a": [1, "x"]]
        #expect("\(value)" == #"{"a":[1,"x"]}"#)
    }

    @Test func roundTripsPreserveEverything() throws {
        var generator = JSONTestGenerator(seed: 42)
        for round in 0..<500 {
            let value = generator.value()
            let compact = JSONSerializer.serialize(value)
            #expect(try JSONParser.parse(compact) == value)
            let pretty = JSONSerializer.serialize(value, pretty: true)
            #expect(try JSONParser.parse(pretty) == value)
            // Canonical: serializing the re-parsed value gives the same bytes.
            #expect(JSONSerializer.serialize(try JSONParser.parse(compact)) == compact, "round \(round)")
        }
    }
}
