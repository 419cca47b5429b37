// libFuzzer target: the JSON parser must never crash, and whatever it accepts must survive
// serialize → parse unchanged (compact and pretty), with canonical compact bytes.
import VarlinkJSON

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONParse(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    // Tight limits exercise the limit paths; the default ones the normal paths.
    _ = try? JSONParser.parse(bytes, limits: JSONLimits(maxDepth: 8, maxInputBytes: 4096))
    let value: JSONValue
    do {
        value = try JSONParser.parse(bytes)
    } catch {
        precondition(error.offset >= 0 && error.offset <= size, "error offset \(error.offset) outside input of \(size)")
        _ = error.description
        return 0
    }
    let compact = JSONSerializer.serialize(value)
    guard let reparsed = try? JSONParser.parse(compact) else {
        preconditionFailure("serializer output does not parse: \(String(decoding: compact, as: UTF8.self))")
    }
    precondition(reparsed == value, "round trip changed the value")
    precondition(JSONSerializer.serialize(reparsed) == compact, "compact output is not canonical")
    let pretty = JSONSerializer.serialize(value, pretty: true)
    precondition((try? JSONParser.parse(pretty)) == value, "pretty output does not round-trip")
    return 0
}
