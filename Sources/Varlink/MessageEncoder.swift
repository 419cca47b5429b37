import VarlinkJSON

/// Builds NUL-terminated wire messages in canonical form: no `false` flags, no null members,
/// `parameters` omitted when empty.
enum MessageEncoder {
    static func reply(_ parameters: JSONObject, continues: Bool, into buffer: inout [UInt8]) {
        if parameters.isEmpty {
            buffer.append(contentsOf: continues ? #"{"continues":true}"#.utf8 : "{}".utf8)
            buffer.append(0)
            return
        }
        buffer.append(contentsOf: #"{"parameters":"#.utf8)
        JSONSerializer.serialize(.object(parameters), into: &buffer)
        if continues { buffer.append(contentsOf: #","continues":true"#.utf8) }
        buffer.append(UInt8(ascii: "}"))
        buffer.append(0)
    }

    static func error(name: String, parameters: JSONObject, into buffer: inout [UInt8]) {
        buffer.append(contentsOf: #"{"error":"#.utf8)
        JSONSerializer.serialize(.string(name), into: &buffer)
        if !parameters.isEmpty {
            buffer.append(contentsOf: #","parameters":"#.utf8)
            JSONSerializer.serialize(.object(parameters), into: &buffer)
        }
        buffer.append(UInt8(ascii: "}"))
        buffer.append(0)
    }

    static func call(
        method: String,
        parameters: JSONObject?,
        more: Bool = false,
        oneway: Bool = false,
        upgrade: Bool = false,
        into buffer: inout [UInt8]
    ) {
        buffer.append(contentsOf: #"{"method":"#.utf8)
        JSONSerializer.serialize(.string(method), into: &buffer)
        if let parameters {
            buffer.append(contentsOf: #","parameters":"#.utf8)
            JSONSerializer.serialize(.object(parameters), into: &buffer)
        }
        if more { buffer.append(contentsOf: #","more":true"#.utf8) }
        if oneway { buffer.append(contentsOf: #","oneway":true"#.utf8) }
        if upgrade { buffer.append(contentsOf: #","upgrade":true"#.utf8) }
        buffer.append(UInt8(ascii: "}"))
        buffer.append(0)
    }
}
