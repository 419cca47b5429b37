import BerthClient
import Testing
import Varlink
import VarlinkJSON

/// The shared runtime behind every generated decoder: the exact paths and reasons of
/// `VarlinkMessageError`, which reach clients (as the InvalidParameter `parameter`) and logs.
@Suite("Generated decoding errors")
struct MessageDecodingErrorTests {
    private static let release = #"{"image":"/i","path":"/usr/lib/os-release","contents":"","fields":{}}"#

    private static func metadata(osRelease: String = release, extensions: String = "[]", units: String = "[]") -> String
    {
        #"{"path":"/i","type":"raw","osRelease":\#(osRelease),"extensionReleases":\#(extensions),"units":\#(units)}"#
    }

    private static func decodeError<M: Portable.Message>(_ type: M.Type, _ json: String) throws -> VarlinkMessageError?
    {
        let object = try #require(try JSONParser.parse(json).objectValue)
        return #expect(throws: VarlinkMessageError.self) { _ = try M(jsonObject: object, strict: true) }
    }

    @Test(
        "AttachImage parameters: the path and reason of each kind of mistake",
        arguments: [
            (#"{}"#, "image", "required field is missing"),
            (#"{"image":null}"#, "image", "null is not allowed here"),
            (#"{"image":5}"#, "image", "expected a string, found an integer"),
            (#"{"image":"x","surprise":true}"#, "surprise", "unknown field"),
            (#"{"image":"x","copyMode":"hardlink"}"#, "copyMode", "'hardlink' is not a known value"),
            (#"{"image":"x","copyMode":3}"#, "copyMode", "expected an enum string, found an integer"),
            (#"{"image":"x","runtime":"yes"}"#, "runtime", "expected a boolean, found a string"),
            (#"{"image":"x","extensions":{}}"#, "extensions", "expected an array, found an object"),
            (#"{"image":"x","extensions":["a",null]}"#, "extensions[1]", "null is not allowed here"),
            (#"{"image":"x","matches":[1.5]}"#, "matches[0]", "expected a string, found a number"),
            (#"{"image":"x","unlock":[]}"#, "unlock", "expected an object, found an array"),
            (
                #"{"image":"x","unlock":{"passphrase":false}}"#, "unlock.passphrase",
                "expected a string, found a boolean"
            ),
        ]
    )
    func attachParameters(_ json: String, _ path: String, _ reason: String) throws {
        let error = try Self.decodeError(Portable.AttachImageParameters.self, json)
        #expect(error?.path == path)
        #expect(error?.reason == reason)
        #expect(error?.description == path + ": " + reason)
        #expect(error?.parameter == String(path.prefix { $0 != "." && $0 != "[" }))
    }

    @Test("nested arrays and string maps extend the path below the top-level field")
    func nestedPaths() throws {
        let badMapValue = #"{"image":"/i","path":"/p","contents":"","fields":{"ID":null}}"#
        let error = try Self.decodeError(Portable.ImageMetadata.self, Self.metadata(osRelease: badMapValue))
        #expect(error?.components == ["osRelease", "fields", "ID"])
        #expect(error?.description == "osRelease.fields.ID: null is not allowed here")

        let mistypedMapValue = #"[{"image":"/e","path":"/p","contents":"","fields":{"ID":5}}]"#
        let nested = try Self.decodeError(Portable.ImageMetadata.self, Self.metadata(extensions: mistypedMapValue))
        #expect(nested?.components == ["extensionReleases", "[0]", "fields", "ID"])
        #expect(nested?.path == "extensionReleases[0].fields.ID")
        #expect(nested?.parameter == "extensionReleases")
        #expect(nested?.reason == "expected a string, found an integer")

        let notAMap = #"{"image":"/i","path":"/p","contents":"","fields":[]}"#
        let map = try Self.decodeError(Portable.ImageMetadata.self, Self.metadata(osRelease: notAMap))
        #expect(map?.description == "osRelease.fields: expected an object (string map), found an array")
    }

    @Test("integers beyond Int.max are out of range, not truncated")
    func integerRange() throws {
        let json =
            #"{"name":"n","path":"/p","type":"raw","readOnly":true,"usage":18446744073709551615,"state":"detached"}"#
        let error = try Self.decodeError(Portable.Image.self, json)
        #expect(error?.description == "usage: integer 18446744073709551615 is out of range")
    }

    @Test("lenient decoding ignores unknown fields; strict decoding names them")
    func strictness() throws {
        let object = try #require(try JSONParser.parse(#"{"image":"x","later":1}"#).objectValue)
        let lenient = try Portable.GetImageParameters(jsonObject: object, strict: false)
        #expect(lenient.image == "x")
        let error = try Self.decodeError(Portable.GetImageParameters.self, #"{"image":"x","later":1}"#)
        #expect(error == VarlinkMessageError(components: ["later"], reason: "unknown field"))
    }

    @Test("numbers accept integers; string maps encode with sorted keys")
    func scalarsAndMaps() throws {
        #expect(try VarlinkMessageCoding.double(.int(-3)) == -3)
        #expect(try VarlinkMessageCoding.double(.uint(UInt64.max)) == Double(UInt64.max))
        let error = #expect(throws: VarlinkMessageError.self) { try VarlinkMessageCoding.double(.null) }
        #expect(error?.description == "expected a number, found null")
        let encoded = VarlinkMessageCoding.encodeMap(["b": 2, "a": 1]) { JSONValue.int(Int64($0)) }
        #expect(JSONSerializer.string(.object(encoded)) == #"{"a":1,"b":2}"#)
    }
}
