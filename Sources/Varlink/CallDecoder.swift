import VarlinkJSON

/// Why a message is not a Varlink call or reply; the connection is closed, no reply is sent.
struct ProtocolViolation: Error, Sendable, CustomStringConvertible {
    var reason: String
    var description: String { reason }
}

/// A call header as it came off the wire.
struct DecodedCall {
    var method: String
    var parameters: JSONObject
    var more: Bool
    var oneway: Bool
    var upgrade: Bool
}

/// A reply as it came off the wire.
struct DecodedReply {
    var parameters: JSONObject
    var continues: Bool
    var error: String?
}

/// Checks message headers the way UAPI.20 asks: known keys only (dotted vendor keys are ignored),
/// booleans for flags, an object or null for parameters, at most one flag set.
enum CallDecoder {
    static func decode(_ bytes: UnsafeRawBufferPointer, limit: Int) -> Result<DecodedCall, ProtocolViolation> {
        let object: JSONObject
        switch parseObject(bytes, limit: limit, kind: "message") {
        case .success(let parsed): object = parsed
        case .failure(let violation): return .failure(violation)
        }
        var call = DecodedCall(method: "", parameters: [:], more: false, oneway: false, upgrade: false)
        var sawMethod = false
        for (key, value) in object {
            switch key {
            case "method":
                guard case .string(let method) = value, !method.isEmpty else {
                    return .failure(ProtocolViolation(reason: "method must be a non-empty string"))
                }
                call.method = method
                sawMethod = true
            case "parameters":
                switch value {
                case .object(let parameters): call.parameters = parameters
                case .null: break
                default: return .failure(ProtocolViolation(reason: "parameters must be an object"))
                }
            case "more", "oneway", "upgrade":
                guard case .bool(let flag) = value else {
                    return .failure(ProtocolViolation(reason: "\(key) must be a boolean"))
                }
                if key == "more" {
                    call.more = flag
                } else if key == "oneway" {
                    call.oneway = flag
                } else {
                    call.upgrade = flag
                }
            default:
                // Vendor extensions are namespaced (`org.example`); anything else is a protocol error.
                guard key.contains(".") else { return .failure(ProtocolViolation(reason: "unknown key '\(key)'")) }
            }
        }
        guard sawMethod else { return .failure(ProtocolViolation(reason: "method is missing")) }
        let flags = (call.more ? 1 : 0) + (call.oneway ? 1 : 0) + (call.upgrade ? 1 : 0)
        guard flags <= 1 else { return .failure(ProtocolViolation(reason: "more than one of more/oneway/upgrade")) }
        return .success(call)
    }

    /// Decodes a reply; clients accept unknown keys (UAPI.20: SHOULD ignore), `continues: false`, null parameters.
    static func decodeReply(_ bytes: UnsafeRawBufferPointer, limit: Int) -> Result<DecodedReply, ProtocolViolation> {
        let object: JSONObject
        switch parseObject(bytes, limit: limit, kind: "reply") {
        case .success(let parsed): object = parsed
        case .failure(let violation): return .failure(violation)
        }
        var reply = DecodedReply(parameters: [:], continues: false, error: nil)
        for (key, value) in object {
            switch key {
            case "parameters":
                switch value {
                case .object(let parameters): reply.parameters = parameters
                case .null: break
                default: return .failure(ProtocolViolation(reason: "reply parameters must be an object"))
                }
            case "continues":
                switch value {
                case .bool(let flag): reply.continues = flag
                case .null: break
                default: return .failure(ProtocolViolation(reason: "continues must be a boolean"))
                }
            case "error":
                switch value {
                case .string(let name) where !name.isEmpty: reply.error = name
                case .null: break
                default: return .failure(ProtocolViolation(reason: "error must be a non-empty string"))
                }
            default:
                break
            }
        }
        return .success(reply)
    }

    /// Parses one message as a JSON object; `kind` ("message" or "reply") names it in the reason.
    private static func parseObject(
        _ bytes: UnsafeRawBufferPointer,
        limit: Int,
        kind: String
    ) -> Result<JSONObject, ProtocolViolation> {
        guard !bytes.isEmpty else { return .failure(ProtocolViolation(reason: "empty message")) }
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes, limits: JSONLimits(maxDepth: 512, maxInputBytes: limit))
        } catch {
            return .failure(ProtocolViolation(reason: "invalid JSON in \(kind): \(error)"))
        }
        guard case .object(let object) = value else {
            return .failure(ProtocolViolation(reason: "\(kind) is not an object"))
        }
        return .success(object)
    }
}
