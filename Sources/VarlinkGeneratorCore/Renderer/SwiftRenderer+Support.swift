extension SwiftRenderer {
    /// Support declarations: the message protocol, typed streams and the name of the shared wire helpers.
    func renderSupport(into writer: inout CodeWriter) {
        let access = self.access
        let ns = self.ns
        writer.line()
        writer.block("extension \(ns)") { w in
            w.line("/// A generated parameters, reply or type struct: strict JSON conversion without Codable overhead.")
            w.block("\(access)protocol Message: Swift.Sendable") { w in
                w.line("/// Decodes a JSON object; `strict` also rejects undeclared fields.")
                w.line("init(jsonObject: VarlinkJSON.JSONObject, strict: Swift.Bool) throws")
                w.line("/// The JSON object for the wire.")
                w.line("var jsonObject: VarlinkJSON.JSONObject { get }")
            }
            w.line()
            w.line(
                "/// The replies of a `more` call, decoded; error replies of this interface are thrown as `\(ns).Error`."
            )
            w.block("\(access)struct ReplyStream<Element: \(ns).Message>: Swift.AsyncSequence, Swift.Sendable") { w in
                w.line("let base: Varlink.VarlinkReplyStream")
                w.line()
                w.block("init(_ base: Varlink.VarlinkReplyStream)") { w in w.line("self.base = base") }
                w.line()
                w.block("\(access)func makeAsyncIterator() -> AsyncIterator") { w in
                    w.line("AsyncIterator(base: base.makeAsyncIterator())")
                }
                w.line()
                w.line("/// Reads and decodes one reply at a time.")
                w.block("\(access)struct AsyncIterator: Swift.AsyncIteratorProtocol") { w in
                    w.line("var base: Varlink.VarlinkReplyStream.Iterator")
                    w.line()
                    w.block("\(access)mutating func next() async throws -> Element?") { w in
                        w.line("let object: VarlinkJSON.JSONObject?")
                        w.block("do") { w in w.line("object = try await base.next()") }
                        w.line("catch { throw \(ns).Client.typedError(error) }")
                        w.line("guard let object else { return nil }")
                        w.line("return try Element(jsonObject: object, strict: false)")
                    }
                }
            }
            w.line()
            w.line("/// Where a streaming method sends the replies before its last one (returned from the method).")
            w.block("\(access)struct ReplySink<Element: \(ns).Message>: Swift.Sendable") { w in
                w.line("/// The underlying reply of the call.")
                w.line("\(access)let reply: Varlink.VarlinkReply")
                w.line()
                w.block("\(access)init(_ reply: Varlink.VarlinkReply)") { w in w.line("self.reply = reply") }
                w.line()
                w.line("/// Whether the caller asked for `more`; without it only the returned reply is sent.")
                w.line("\(access)var isStreaming: Swift.Bool { reply.more }")
                w.line()
                w.line("/// Whether the caller is still connected.")
                w.line("\(access)var isConnected: Swift.Bool { reply.isConnected }")
                w.line()
                w.line("/// Sends one reply with `continues: true`, then waits while the client's buffer is full.")
                w.block("\(access)func send(_ element: Element) async") { w in
                    w.line("reply.notify(element.jsonObject)")
                    w.line("await reply.drain()")
                }
            }
        }
        writer.line()
        // The helpers live once in the Varlink module; the short file-private name keeps the generated code readable.
        writer.line("/// The JSON conversion helpers of generated code; errors carry the path to the offending value.")
        writer.line("private typealias _Wire = Varlink.VarlinkMessageCoding")
    }
}
