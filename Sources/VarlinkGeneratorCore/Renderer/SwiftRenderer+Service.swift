import VarlinkIDL

extension SwiftRenderer {
    /// The API protocol (the interface's one seam) and the adapter that serves an implementation of it.
    func renderService(into writer: inout CodeWriter) {
        renderExtension(into: &writer) { w in
            renderAPI(into: &w)
            w.line()
            renderAdapter(into: &w)
        }
    }

    private func renderAPI(into w: inout CodeWriter) {
        w.line("/// `\(model.name)` as one async method per IDL method, generated types in and out.")
        w.line("///")
        w.line("/// `\(ns).Client` implements it over a connection; a service implements it and is served with")
        w.line("/// `\(ns).ServiceAdapter`, or called in process. Code written against `any \(ns).API` does not")
        w.line("/// care which. Implementations throw `\(ns).Error` for this interface's errors; while a server")
        w.line("/// dispatches a call, `Varlink.VarlinkCall.current` describes it (caller, `more`, descriptors).")
        w.block("\(access)protocol API: Swift.Sendable") { w in
            for (index, method) in model.methods.enumerated() {
                if index > 0 { w.line() }
                w.documentation(method.documentation)
                w.line(requirement(method))
            }
        }
    }

    private func renderAdapter(into w: inout CodeWriter) {
        w.line("/// Serves an implementation of `\(ns).API` as the `\(model.name)` interface.")
        w.line("///")
        w.line("/// Decodes each call strictly first: a missing, null, mistyped or unknown parameter is answered")
        w.line("/// with `org.varlink.service.InvalidParameter` naming it, before the implementation runs.")
        w.block("\(access)struct ServiceAdapter<Implementation: \(ns).API>: Varlink.VarlinkInterface") { w in
            renderWrapped(
                "implementation",
                type: "Implementation",
                documentation: "The implementation calls are dispatched to.",
                into: &w
            )
            w.line()
            w.line("/// `\(model.name)`.")
            w.line("\(access)var name: Swift.String { \(ns).interfaceName }")
            w.line()
            w.line("/// The canonical interface description.")
            w.line("\(access)var interfaceDescription: Swift.String { \(ns).interfaceDescription }")
            w.line()
            w.line("/// Decodes, dispatches (with `VarlinkCall.current` set) and replies.")
            w.block("\(access)func handle(_ call: Varlink.VarlinkCall, reply: Varlink.VarlinkReply) async throws") {
                w in
                w.block("try await Varlink.VarlinkCall.$current.withValue(call)") { w in
                    w.line("reply.reply(try await self.dispatch(call, reply: reply))")
                }
            }
            w.line()
            w.block(
                "private func dispatch(_ call: Varlink.VarlinkCall, reply: Varlink.VarlinkReply) async throws -> VarlinkJSON.JSONObject"
            ) { w in
                w.block("switch call.methodName") { w in
                    for method in model.methods {
                        w.line("case \(SafeNames.stringLiteral(method.name)):")
                        if method.more == .required {
                            w.line("    guard call.more else { throw Varlink.VarlinkServiceError.expectedMore }")
                        }
                        let decode = "try Self.decode(\(method.parameters.qualifiedName).self, call.parameters)"
                        if method.more == .unsupported {
                            w.line("    return try await implementation.\(method.swiftName)(\(decode)).jsonObject")
                        } else {
                            w.line(
                                "    return try await implementation.\(method.swiftName)(\(decode), replies: \(ns).ReplySink(reply)).jsonObject"
                            )
                        }
                    }
                    w.line("default:")
                    w.line("    throw Varlink.VarlinkServiceError.methodNotFound(method: call.method)")
                }
            }
            w.line()
            w.block(
                "private static func decode<M: \(ns).Message>(_ type: M.Type, _ parameters: VarlinkJSON.JSONObject) throws -> M"
            ) { w in
                w.block("do") { w in
                    w.line("return try M(jsonObject: parameters, strict: true)")
                }
                w.block("catch let error as Varlink.VarlinkMessageError") { w in
                    w.line("throw Varlink.VarlinkServiceError.invalidParameter(parameter: error.parameter)")
                }
            }
        }
    }

    /// One API requirement: streaming methods also take the sink for the replies before the last.
    func requirement(_ method: GeneratedMethod) -> String {
        let parameters = method.parameters.qualifiedName
        let reply = method.reply.qualifiedName
        if method.more == .unsupported {
            return "func \(method.swiftName)(_ parameters: \(parameters)) async throws -> \(reply)"
        }
        return
            "func \(method.swiftName)(_ parameters: \(parameters), replies: \(ns).ReplySink<\(reply)>) async throws -> \(reply)"
    }
}
