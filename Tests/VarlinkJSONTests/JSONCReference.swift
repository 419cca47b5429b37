import CJSONC
import VarlinkJSON

/// json-c 0.16 as a reference parser, in its strictest mode (STRICT | VALIDATE_UTF8, depth 512),
/// with its tree converted to `JSONValue` for comparison.
enum JSONCReference {
    enum Outcome {
        case accepted(JSONValue)
        case rejected(String)
    }

    static func parse(_ bytes: [UInt8]) -> Outcome {
        guard let tokener = json_tokener_new_ex(512) else { return .rejected("json_tokener_new_ex failed") }
        defer { json_tokener_free(tokener) }
        json_tokener_set_flags(tokener, Int32(JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8))
        // The terminating NUL is passed too: without it json-c cannot tell that a top-level
        // number has ended and answers "continue".
        let terminated = bytes + [0]
        let object = terminated.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                json_tokener_parse_ex(tokener, chars.baseAddress, Int32(chars.count))
            }
        }
        let error = json_tokener_get_error(tokener)
        if error != json_tokener_success {
            if let object { json_object_put(object) }
            return .rejected(String(cString: json_tokener_error_desc(error)))
        }
        // A top-level `null` is a NULL object with success.
        defer { if let object { json_object_put(object) } }
        // Like a real caller, allow only whitespace after the value.
        let end = json_tokener_get_parse_end(tokener)
        for byte in bytes[min(end, bytes.count)...] where ![0x20, 0x09, 0x0A, 0x0D].contains(byte) {
            return .rejected("trailing data (checked in the wrapper)")
        }
        return .accepted(convert(object))
    }

    private static func convert(_ object: OpaquePointer?) -> JSONValue {
        guard let object else { return .null }
        switch json_object_get_type(object) {
        case json_type_null: return .null
        case json_type_boolean: return .bool(json_object_get_boolean(object) != 0)
        case json_type_int:
            let signed = json_object_get_int64(object)
            // get_int64 saturates values stored as uint64; ask for the unsigned form then.
            if signed == Int64.max { return JSONValue(exactly: json_object_get_uint64(object)) }
            return .int(signed)
        case json_type_double: return .double(json_object_get_double(object))
        case json_type_string:
            let length = Int(json_object_get_string_len(object))
            let pointer = UnsafeRawPointer(json_object_get_string(object)!).assumingMemoryBound(to: UInt8.self)
            return .string(String(decoding: UnsafeBufferPointer(start: pointer, count: length), as: UTF8.self))
        case json_type_array:
            let count = json_object_array_length(object)
            return .array((0..<count).map { convert(json_object_array_get_idx(object, $0)) })
        case json_type_object:
            var members: [(String, JSONValue)] = []
            var entry = lh_table_head(json_object_get_object(object))
            while let current = entry {
                let key = String(cString: lh_entry_k(current).assumingMemoryBound(to: CChar.self))
                members.append((key, convert(OpaquePointer(lh_entry_v(current)))))
                entry = lh_entry_next(current)
            }
            return .object(JSONObject(members))
        default:
            return .null
        }
    }
}
