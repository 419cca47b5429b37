import VarlinkJSON

/// A byte stream as a Varlink peer sends it: split at NULs as the server and client do, every message is
/// decoded as a call and as a reply. Decoding never crashes; whatever decodes re-encodes (canonically) to a
/// message that decodes to the same call or reply, and the canonical encoding is a fixed point.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFraming(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let limit = 4096
    for message in bytes.split(separator: 0, omittingEmptySubsequences: false) {
        let body = Array(message)
        checkCall(body, limit: limit)
        checkReply(body, limit: limit)
    }
    return 0
}

private func checkCall(_ body: [UInt8], limit: Int) {
    let decoded = body.withUnsafeBytes { CallDecoder.decode($0, limit: limit) }
    guard case .success(let call) = decoded else { return }
    precondition(!call.method.isEmpty, "call without a method")
    precondition([call.more, call.oneway, call.upgrade].filter { $0 }.count <= 1, "two flags accepted")
    var encoded: [UInt8] = []
    MessageEncoder.call(
        method: call.method,
        parameters: call.parameters.isEmpty ? nil : call.parameters,
        more: call.more,
        oneway: call.oneway,
        upgrade: call.upgrade,
        into: &encoded
    )
    precondition(encoded.last == 0 && encoded.dropLast().allSatisfy { $0 != 0 }, "NUL inside an encoded call")
    let again = encoded.dropLast().withUnsafeBytes { CallDecoder.decode($0, limit: Int.max) }
    guard case .success(let call2) = again else { preconditionFailure("re-encoded call does not decode") }
    precondition(call2.method == call.method && call2.parameters == call.parameters, "call changed")
    precondition(call2.more == call.more && call2.oneway == call.oneway && call2.upgrade == call.upgrade, "flags")
}

private func checkReply(_ body: [UInt8], limit: Int) {
    let decoded = body.withUnsafeBytes { CallDecoder.decodeReply($0, limit: limit) }
    guard case .success(let reply) = decoded else { return }
    var encoded: [UInt8] = []
    if let error = reply.error {
        precondition(!error.isEmpty, "empty error name accepted")
        MessageEncoder.error(name: error, parameters: reply.parameters, into: &encoded)
    } else {
        MessageEncoder.reply(reply.parameters, continues: reply.continues, into: &encoded)
    }
    precondition(encoded.last == 0 && encoded.dropLast().allSatisfy { $0 != 0 }, "NUL inside an encoded reply")
    let again = encoded.dropLast().withUnsafeBytes { CallDecoder.decodeReply($0, limit: Int.max) }
    guard case .success(let reply2) = again else { preconditionFailure("re-encoded reply does not decode") }
    precondition(reply2.parameters == reply.parameters && reply2.error == reply.error, "reply changed")
    precondition(reply2.error != nil || reply2.continues == reply.continues, "continues changed")
}
