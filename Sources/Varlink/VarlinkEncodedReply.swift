public import VarlinkJSON

/// One streamed reply (`continues: true`) encoded once, for a server that sends the same reply to many
/// clients (an event to every watcher): `VarlinkReply.notify(encoded:)` copies the bytes instead of
/// serializing the parameters again for each.
public struct VarlinkEncodedReply: Sendable {
    let bytes: [UInt8]

    public init(_ parameters: JSONObject) {
        var bytes: [UInt8] = []
        MessageEncoder.reply(parameters, continues: true, into: &bytes)
        self.bytes = bytes
    }
}
