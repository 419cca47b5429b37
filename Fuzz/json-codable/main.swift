// libFuzzer target: decoding arbitrary parsed JSON into Codable types must fail cleanly or
// produce values that encode back to something that decodes to the same value.
import VarlinkJSON

struct Inner: Codable, Equatable {
    var first: Int
    var second: String
}

enum Choice: String, Codable { case one, two, three }

/// Shaped like org.varlink.certification's MyType: every Codable feature a Varlink type uses.
struct Shape: Codable, Equatable {
    var object: JSONObject?
    var choice: Choice?
    var inner: Inner?
    var array: [String]?
    var dictionary: [String: String]?
    var set: [String: JSONObject]?
    var nullable: String?
    var nullableArray: [Inner]?
    var nested: [[String: Inner?]?]?
    var number: Double?
    var unsigned: UInt64?
    var small: Int8?
    var flag: Bool?
}

func check<T: Codable & Equatable>(_ type: T.Type, _ value: JSONValue) {
    guard let decoded = try? JSONValueDecoder().decode(type, from: value) else { return }
    guard let encoded = try? JSONValueEncoder().encode(decoded) else {
        // Only non-finite floats may fail to encode, and the parser cannot produce them.
        preconditionFailure("decoded value does not encode")
    }
    guard let again = try? JSONValueDecoder().decode(type, from: encoded) else {
        preconditionFailure("re-encoded value does not decode: \(encoded)")
    }
    precondition(again == decoded, "Codable round trip changed the value")
    // The tree must also survive the wire.
    let bytes = JSONSerializer.serialize(encoded)
    precondition(
        (try? JSONValueDecoder().decode(type, fromBytes: bytes)) == decoded,
        "wire round trip changed the value"
    )
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONCodable(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let value = try? JSONParser.parse(UnsafeRawBufferPointer(start: data, count: size)) else { return 0 }
    check(Shape.self, value)
    check([Shape].self, value)
    check([String: Inner].self, value)
    check(JSONValue.self, value)
    check([Int64?].self, value)
    do {
        _ = try JSONValueDecoder().decode(Shape.self, from: value)
    } catch let error as DecodingError {
        _ = error.readableDescription
    } catch {
        preconditionFailure("decoder threw a non-DecodingError: \(error)")
    }
    return 0
}
