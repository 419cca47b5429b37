// Parse/serialize benchmark: VarlinkJSON against json-c and Foundation. Built by run.sh with
// -O as two modules (VarlinkJSON, then this), so cross-module costs are as in the server.
import CJSONC
import Foundation
import VarlinkJSON

func measure(_ label: String, _ body: () -> Void) -> Double {
    // Warm up 60 ms, then 300 ms of ~250 µs batches; report the median ns per operation.
    var iterations = 1
    let warmEnd = DispatchTime.now().uptimeNanoseconds + 60_000_000
    while DispatchTime.now().uptimeNanoseconds < warmEnd { body() }
    while true {
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<iterations { body() }
        if DispatchTime.now().uptimeNanoseconds - start > 250_000 { break }
        iterations *= 2
    }
    var samples: [Double] = []
    let end = DispatchTime.now().uptimeNanoseconds + 300_000_000
    while DispatchTime.now().uptimeNanoseconds < end || samples.count < 21 {
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<iterations { body() }
        samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / Double(iterations))
    }
    samples.sort()
    return samples[samples.count / 2]
}

func jsonCParse(_ tokener: UnsafeMutablePointer<json_tokener>, _ bytes: [UInt8]) -> OpaquePointer? {
    json_tokener_reset(tokener)
    return bytes.withUnsafeBufferPointer { buffer in
        buffer.withMemoryRebound(to: CChar.self) { json_tokener_parse_ex(tokener, $0.baseAddress, Int32($0.count)) }
    }
}

let msg1 = Messages.ping
let msg2 = try! JSONValueEncoder().encodeToBytes(
    ["parameters": try! JSONValueEncoder().encode(Messages.images)] as JSONValue
)
var msg3Text = String(
    decoding: try! JSONValueEncoder().encodeToBytes(
        ["parameters": ["lines": .array(Messages.logLines.map(JSONValue.string))]] as JSONValue
    ),
    as: UTF8.self
)
msg3Text = msg3Text.replacingOccurrences(of: " é 😀", with: #" \u00e9 \ud83d\ude00"#)
let msg3 = Array(msg3Text.utf8)
let messages = [("msg1", msg1), ("msg2", msg2), ("msg3", msg3)]

var rows: [(String, [Double])] = []
func row(_ label: String, _ perMessage: ([UInt8]) -> () -> Void) {
    var results: [Double] = []
    for (_, bytes) in messages { results.append(measure(label, perMessage(bytes))) }
    rows.append((label, results))
}

let tokener = json_tokener_new_ex(512)!
json_tokener_set_flags(tokener, Int32(JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8))

// Sanity: every parser reads the same message.
for (name, bytes) in messages {
    let ours = try! JSONParser.parse(bytes)
    precondition(try! JSONParser.parse(JSONSerializer.serialize(ours)) == ours, name)
    let theirs = jsonCParse(tokener, bytes)
    precondition(theirs != nil, "json-c rejected \(name)")
    json_object_put(theirs)
    _ = try! JSONSerialization.jsonObject(with: Data(bytes))
    print("\(name): \(bytes.count) bytes")
}

row("parse VarlinkJSON → JSONValue") { bytes in { _ = try! JSONParser.parse(bytes) } }
row("parse json-c (strict, reused tokener)") { bytes in { json_object_put(jsonCParse(tokener, bytes)) } }
row("parse Foundation JSONSerialization") { bytes in
    let data = Data(bytes)
    return { _ = try! JSONSerialization.jsonObject(with: data) }
}
row("serialize VarlinkJSON") { bytes in
    let tree = try! JSONParser.parse(bytes)
    return { _ = JSONSerializer.serialize(tree) }
}
row("serialize VarlinkJSON into reused buffer") { bytes in
    let tree = try! JSONParser.parse(bytes)
    var buffer: [UInt8] = []
    buffer.reserveCapacity(bytes.count * 2)
    return {
        buffer.removeAll(keepingCapacity: true)
        JSONSerializer.serialize(tree, into: &buffer)
    }
}
row("serialize json-c (tree built in C)") { bytes in
    let object = jsonCParse(tokener, bytes)
    return {
        var length = 0
        let text = json_object_to_json_string_length(
            object,
            JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE,
            &length
        )
        _ = [UInt8](UnsafeRawBufferPointer(start: text, count: length))
    }
}
row("serialize Foundation JSONSerialization") { bytes in
    let object = try! JSONSerialization.jsonObject(with: Data(bytes))
    return { _ = try! JSONSerialization.data(withJSONObject: object, options: [.withoutEscapingSlashes]) }
}

func format(_ nanoseconds: Double) -> String {
    nanoseconds >= 10_000 ? "\(Int(nanoseconds / 1000).formatted()) µs" : "\(Int(nanoseconds).formatted()) ns"
}
print("| operation | msg1 (\(msg1.count) B) | msg2 (\(msg2.count) B) | msg3 (\(msg3.count) B) |")
print("|---|---|---|---|")
for (label, results) in rows { print("| \(label) | " + results.map(format).joined(separator: " | ") + " |") }

// Codable on msg2: the tree bridge against Foundation's coders.
let images = Messages.images
let imageTree = try! JSONValueEncoder().encode(images)
let imageBytes = JSONSerializer.serialize(imageTree)
precondition(try! JSONValueDecoder().decode(ImageListReply.self, fromBytes: imageBytes) == images)
precondition(try! JSONDecoder().decode(ImageListReply.self, from: Data(imageBytes)) == images)
let pingCall = ["method": "org.example.bench.Ping", "parameters": ["ping": "hello world"]] as JSONValue
struct PingParameters: Codable { var ping: String }
let codableRows: [(String, Double)] = [
    (
        "msg2 bytes → structs, VarlinkJSON parse + JSONValueDecoder",
        measure("") { _ = try! JSONValueDecoder().decode(ImageListReply.self, fromBytes: imageBytes) }
    ),
    (
        "msg2 bytes → structs, Foundation JSONDecoder",
        measure("") { _ = try! JSONDecoder().decode(ImageListReply.self, from: Data(imageBytes)) }
    ),
    (
        "msg2 structs → bytes, JSONValueEncoder + serialize",
        measure("") { _ = try! JSONValueEncoder().encodeToBytes(images) }
    ),
    ("msg2 structs → bytes, Foundation JSONEncoder", measure("") { _ = try! JSONEncoder().encode(images) }),
    (
        "Ping parameters → struct (JSONValueDecoder)",
        measure("") {
            _ = try! JSONValueDecoder().decode(PingParameters.self, from: pingCall.objectValue!["parameters"]!)
        }
    ),
    (
        "Ping struct → JSONValue (JSONValueEncoder)",
        measure("") { _ = try! JSONValueEncoder().encode(PingParameters(ping: "hello world")) }
    ),
]
print("")
print("| Codable | time |")
print("|---|---|")
for (label, time) in codableRows { print("| \(label) | \(format(time)) |") }
