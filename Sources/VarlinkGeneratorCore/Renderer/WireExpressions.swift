/// The Swift expressions that convert between a field's Swift value and its JSON value.
enum WireExpressions {
    /// An expression decoding the `JSONValue` named `value` into `type` (may throw).
    static func decode(_ type: SwiftTypeReference, _ value: String, depth: Int = 0) -> String {
        let element = "e\(depth)"
        switch type {
        case .bool: return "try _Wire.bool(\(value))"
        case .int: return "try _Wire.int(\(value))"
        case .double: return "try _Wire.double(\(value))"
        case .string: return "try _Wire.string(\(value))"
        case .object: return "try _Wire.object(\(value))"
        case .any: return value
        case .structure(let name): return "try \(name)(jsonObject: _Wire.object(\(value)), strict: strict)"
        case .enumeration(let name): return "try _Wire.enumeration(\(name).self, \(value))"
        case .optional(let wrapped):
            return "try _Wire.nullable(\(value)) { \(element) in \(decode(wrapped, element, depth: depth + 1)) }"
        case .array(let wrapped):
            return "try _Wire.array(\(value)) { \(element) in \(decode(wrapped, element, depth: depth + 1)) }"
        case .map(let wrapped):
            return "try _Wire.map(\(value)) { \(element) in \(decode(wrapped, element, depth: depth + 1)) }"
        }
    }

    /// An expression encoding the Swift value named `value` of `type` as a `JSONValue`.
    static func encode(_ type: SwiftTypeReference, _ value: String, depth: Int = 0) -> String {
        let element = "e\(depth)"
        switch type {
        case .bool: return ".bool(\(value))"
        case .int: return ".int(Swift.Int64(\(value)))"
        case .double: return ".double(\(value))"
        case .string: return ".string(\(value))"
        case .object: return ".object(\(value))"
        case .any: return value
        case .structure: return ".object(\(value).jsonObject)"
        case .enumeration: return ".string(\(value).rawValue)"
        case .optional(let wrapped):
            return
                "(\(value).map { \(element) -> VarlinkJSON.JSONValue in \(encode(wrapped, element, depth: depth + 1)) } ?? .null)"
        case .array(let wrapped):
            return
                ".array(\(value).map { \(element) -> VarlinkJSON.JSONValue in \(encode(wrapped, element, depth: depth + 1)) })"
        case .map(let wrapped):
            return
                ".object(_Wire.encodeMap(\(value)) { \(element) -> VarlinkJSON.JSONValue in \(encode(wrapped, element, depth: depth + 1)) })"
        }
    }

    /// An expression reading `field` from the `JSONObject` named `json`: absent or null is `nil` for a
    /// nullable field, an error otherwise.
    static func field(_ field: GeneratedField, from json: String = "json") -> String {
        let key = SafeNames.stringLiteral(field.wireName)
        if case .optional(let wrapped) = field.type {
            return "try _Wire.optional(\(json), \(key)) { v in \(decode(wrapped, "v")) }"
        }
        return "try _Wire.required(\(json), \(key)) { v in \(decode(field.type, "v")) }"
    }

    /// A statement appending `field`, whose Swift value is `value`, to the `members` array; a nil
    /// nullable field is left out.
    static func append(_ field: GeneratedField, value: String) -> String {
        let key = SafeNames.stringLiteral(field.wireName)
        if case .optional(let wrapped) = field.type {
            return "if let value = \(value) { members.append((key: \(key), value: \(encode(wrapped, "value")))) }"
        }
        return "members.append((key: \(key), value: \(encode(field.type, value))))"
    }
}
