import Testing
import VarlinkIDL
import VarlinkJSON

@Suite("IDL message validator")
struct IDLValidatorTests {
    static let interface = try! IDLParser.parse(
        """
        interface org.example.check
        type Kind (one, two)
        type Item (name: string, tags: ?[]string, kind: ?Kind, extra: ?object, anything: ?any)
        method Put(item: Item, count: int, ratio: ?float, map: ?[string]int, flag: ?bool, inline: ?(a: int)) -> (ok: bool)
        error Failed (reason: string, code: ?int)
        """
    )
    let validator = IDLValidator(interface: Self.interface)

    private func parameters(_ json: String) throws -> JSONObject {
        try #require(try JSONParser.parse(json).objectValue)
    }

    @Test("accepts well-formed messages, with and without optional fields")
    func accepts() throws {
        try validator.validateParameters(try parameters(#"{"item":{"name":"x"},"count":1}"#), method: "Put")
        try validator.validateParameters(
            try parameters(
                #"{"item":{"name":"x","tags":["a"],"kind":"two","extra":{"k":[1]},"anything":[null]},"count":-3,"ratio":2,"map":{"a":1},"flag":null,"inline":{"a":1}}"#
            ),
            method: "org.example.check.Put"
        )
        try validator.validateReply(["ok": true], method: "Put")
        try validator.validateError(["reason": "r", "code": .uint(UInt64.max)], error: "Failed")
    }

    @Test(
        "rejections name the top-level parameter and the path",
        arguments: [
            (#"{"count":1}"#, "item", "item", "required field is missing"),
            (#"{"item":null,"count":1}"#, "item", "item", "null is not allowed here"),
            (#"{"item":{"name":"x"},"count":1.5}"#, "count", "count", "expected an integer, found a number"),
            (#"{"item":{"name":"x"},"count":"1"}"#, "count", "count", "expected an integer, found a string"),
            (#"{"item":{"name":5},"count":1}"#, "item", "item.name", "expected a string, found an integer"),
            (#"{"item":{"name":"x","tags":["a",3]},"count":1}"#, "item", "item.tags[1]", "expected a string"),
            (#"{"item":{"name":"x","kind":"three"},"count":1}"#, "item", "item.kind", "'three' is not one of one, two"),
            (#"{"item":{"name":"x","bogus":1},"count":1}"#, "item", "item.bogus", "unknown field"),
            (#"{"item":{"name":"x"},"count":1,"bogus":true}"#, "bogus", "bogus", "unknown field"),
            (#"{"item":{"name":"x"},"count":1,"map":{"a":"b"}}"#, "map", "map[\"a\"]", "expected an integer"),
            (#"{"item":{"name":"x"},"count":1,"flag":1}"#, "flag", "flag", "expected a boolean"),
            (#"{"item":{"name":"x"},"count":1,"inline":{}}"#, "inline", "inline.a", "required field is missing"),
            (#"{"item":{"name":"x"},"count":1,"ratio":"1"}"#, "ratio", "ratio", "expected a number"),
            (#"{"item":[],"count":1}"#, "item", "item", "expected an object (Item)"),
        ]
    )
    func rejects(_ json: String, _ parameter: String, _ path: String, _ reason: String) throws {
        let error = #expect(throws: IDLValidationError.self) {
            try validator.validateParameters(try parameters(json), method: "Put")
        }
        #expect(error?.parameter == parameter)
        #expect(error?.path == path)
        #expect(error?.reason.contains(reason) == true, "\(String(describing: error))")
    }

    @Test("unknown fields can be tolerated (lenient clients)")
    func lenient() throws {
        let lenient = IDLValidator(interface: Self.interface, options: .init(allowUnknownFields: true))
        try lenient.validateReply(["ok": false, "new": 1], method: "Put")
        #expect(throws: IDLValidationError.self) {
            try validator.validateReply(["ok": false, "new": 1], method: "Put")
        }
    }

    @Test("unknown methods and errors are reported")
    func unknownNames() {
        #expect(throws: IDLValidationError.self) { try validator.validateParameters([:], method: "Nope") }
        #expect(throws: IDLValidationError.self) { try validator.validateError([:], error: "Nope") }
    }

    @Test("io.berth.Portable: an AttachImage call with a bad copy mode names copyMode")
    func portable() throws {
        let portable = IDLValidator(interface: try IDLParser.parse(try IDLFixtures.portableInterface()))
        try portable.validateParameters(["image": "foo", "copyMode": "mixed", "runtime": true], method: "AttachImage")
        let error = #expect(throws: IDLValidationError.self) {
            try portable.validateParameters(["image": "foo", "copyMode": "hardlink"], method: "AttachImage")
        }
        #expect(error?.parameter == "copyMode")
    }
}
