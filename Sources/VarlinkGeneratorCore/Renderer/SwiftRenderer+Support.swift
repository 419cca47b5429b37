extension SwiftRenderer {
    /// Short names for the runtime's generic helpers, so generated and hand-written code can say
    /// `Portable.Message`, `Portable.ReplyStream<…>` and `Portable.ReplySink<…>`.
    func renderSupport(into writer: inout CodeWriter) {
        renderExtension(into: &writer) { w in
            w.line("/// A generated parameters, reply or type struct.")
            w.line("\(access)typealias Message = Varlink.VarlinkMessage")
            w.line()
            w.line("/// The decoded replies of a `more` call; error replies are thrown as `\(ns).Error`.")
            w.line(
                "\(access)typealias ReplyStream<Element: Varlink.VarlinkMessage> = Varlink.VarlinkTypedReplyStream<Element>"
            )
            w.line()
            w.line("/// Where a streaming method sends the replies before its last one.")
            w.line("\(access)typealias ReplySink<Element: Varlink.VarlinkMessage> = Varlink.VarlinkReplySink<Element>")
        }
        writer.line()
        // The helpers live once in the Varlink module; the short file-private name keeps the generated code readable.
        writer.line("/// The JSON conversion helpers of generated code; errors carry the path to the offending value.")
        writer.line("private typealias _Wire = Varlink.VarlinkMessageCoding")
    }
}
