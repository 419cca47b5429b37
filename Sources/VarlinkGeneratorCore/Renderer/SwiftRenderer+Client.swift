import VarlinkIDL

extension SwiftRenderer {
    /// The typed client over `VarlinkClient`.
    func renderClient(into writer: inout CodeWriter) {
        renderExtension(into: &writer) { w in
            w.line("/// A typed client for `\(model.name)` over a Varlink connection.")
            w.line("///")
            w.line(
                "/// Errors of this interface are thrown as `\(ns).Error`; everything else as the Varlink runtime's errors."
            )
            w.line("///")
            w.line("/// It implements `\(ns).API`, so code written against the protocol runs over a connection too.")
            w.block("\(access)struct Client: \(ns).API") { w in
                renderWrapped(
                    "varlinkConnection",
                    type: "Varlink.VarlinkClient",
                    documentation: "The connection calls go through.",
                    into: &w
                )
                for method in model.methods {
                    renderClientMethod(method, into: &w)
                }
                w.line()
                w.line("/// Rethrows an error reply of this interface as `\(ns).Error`.")
                w.block("static func typedError(_ error: any Swift.Error) -> any Swift.Error") { w in
                    w.line("guard let remote = error as? Varlink.VarlinkRemoteError else { return error }")
                    w.line("return \(ns).Error(name: remote.name, parameters: remote.parameters) ?? remote")
                }
            }
        }
    }

    private func renderClientMethod(_ method: GeneratedMethod, into w: inout CodeWriter) {
        let full = SafeNames.stringLiteral(model.name + "." + method.name)
        let parameters = method.parameters.qualifiedName
        let reply = method.reply.qualifiedName
        let fields = method.parameters.fields
        let signature = fields.map { "\($0.swiftName): \($0.type.swift)\($0.type.isOptional ? " = nil" : "")" }
            .joined(separator: ", ")
        let forwarding = fields.map { "\(SafeNames.label($0.swiftName)): \($0.swiftName)" }.joined(separator: ", ")
        if method.more != .required {
            w.line()
            w.documentation(method.documentation)
            w.block("\(access)func \(method.swiftName)(_ parameters: \(parameters)) async throws -> \(reply)") { w in
                w.line("let reply: VarlinkJSON.JSONObject")
                w.block("do") { w in
                    w.line("reply = try await varlinkConnection.call(\(full), parameters: parameters.jsonObject)")
                }
                w.line("catch { throw Self.typedError(error) }")
                w.line("return try \(reply)(jsonObject: reply, strict: false)")
            }
            w.line()
            w.documentation(method.documentation)
            w.block("\(access)func \(method.swiftName)(\(signature)) async throws -> \(reply)") { w in
                w.line("try await self.\(method.swiftName)(\(parameters)(\(forwarding)))")
            }
        }
        if method.more != .unsupported {
            w.line()
            w.documentation(method.documentation)
            w.line("///")
            w.line("/// Calls with `more`: the replies arrive as an asynchronous sequence.")
            w.block(
                "\(access)func \(method.swiftName)Stream(_ parameters: \(parameters)) -> \(ns).ReplyStream<\(reply)>"
            ) { w in
                w.line(
                    "\(ns).ReplyStream(varlinkConnection.stream(\(full), parameters: parameters.jsonObject)) { Self.typedError($0) }"
                )
            }
            w.line()
            w.documentation(method.documentation)
            w.line("///")
            w.line("/// Calls with `more`: the replies arrive as an asynchronous sequence.")
            w.block("\(access)func \(method.swiftName)Stream(\(signature)) -> \(ns).ReplyStream<\(reply)>") { w in
                w.line("self.\(method.swiftName)Stream(\(parameters)(\(forwarding)))")
            }
            w.line()
            w.documentation(method.documentation)
            w.line("///")
            w.line("/// `\(ns).API`'s form: the replies before the last go to `replies`, the last is returned.")
            w.block(
                "\(access)func \(method.swiftName)(_ parameters: \(parameters), replies: \(ns).ReplySink<\(reply)>) async throws -> \(reply)"
            ) { w in
                if method.more == .supported {
                    w.line("guard replies.isStreaming else { return try await self.\(method.swiftName)(parameters) }")
                }
                w.line("var last: \(reply)?")
                w.block("for try await element in self.\(method.swiftName)Stream(parameters)") { w in
                    w.line("if let previous = last { await replies.send(previous) }")
                    w.line("last = element")
                }
                w.line(
                    "guard let last else { throw Varlink.VarlinkConnectionError.protocolViolation(\"no final reply\") }"
                )
                w.line("return last")
            }
        }
    }
}
