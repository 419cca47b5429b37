import VarlinkIDL

extension SwiftRenderer {
    /// The protocol a service implements and the adapter that serves it on a `VarlinkServer`.
    func renderService(into writer: inout CodeWriter) {
        let model = self.model
        let access = self.access
        let ns = self.ns
        writer.line()
        writer.block("extension \(ns)") { w in
            w.line("/// What a service implementing `\(model.name)` provides; serve it with `\(ns).ServiceAdapter`.")
            w.line("///")
            w.line("/// Parameters arrive already validated. Throw `\(ns).Error` for this interface's errors.")
            w.block("\(access)protocol ServiceProtocol: Swift.Sendable") { w in
                for (index, method) in model.methods.enumerated() {
                    if index > 0 { w.line() }
                    w.documentation(method.documentation)
                    w.line(requirement(method))
                }
            }
            w.line()
            w.line("/// Serves a `\(ns).ServiceProtocol` implementation as the `\(model.name)` interface.")
            w.line("///")
            w.line("/// Decodes each call strictly first: a missing, null, mistyped or unknown parameter is answered")
            w.line("/// with `org.varlink.service.InvalidParameter` naming it, before the implementation runs.")
            w.block("\(access)struct ServiceAdapter<Implementation: \(ns).ServiceProtocol>: Varlink.VarlinkInterface") {
                w in
                w.line("/// The implementation calls are dispatched to.")
                w.line("\(access)let implementation: Implementation")
                w.line()
                w.line("/// Wraps an implementation.")
                w.block("\(access)init(_ implementation: Implementation)") { w in
                    w.line("self.implementation = implementation")
                }
                w.line()
                w.line("/// `\(model.name)`.")
                w.line("\(access)var name: Swift.String { \(ns).interfaceName }")
                w.line()
                w.line("/// The canonical interface description.")
                w.line("\(access)var interfaceDescription: Swift.String { \(ns).interfaceDescription }")
                w.line()
                w.line("/// Decodes, dispatches and replies.")
                w.block("\(access)func handle(_ call: Varlink.VarlinkCall, reply: Varlink.VarlinkReply) async throws") {
                    w in
                    w.block("switch call.methodName") { w in
                        for method in model.methods {
                            w.line("case \(SafeNames.stringLiteral(method.name)):")
                            if method.more == .required {
                                w.line("    guard call.more else { throw Varlink.VarlinkServiceError.expectedMore }")
                            }
                            w.line(
                                "    let parameters = try Self.decode(\(method.parameters.qualifiedName).self, call.parameters)"
                            )
                            if method.more == .unsupported {
                                w.line(
                                    "    let result = try await implementation.\(method.swiftName)(parameters, call: call)"
                                )
                            } else {
                                w.line(
                                    "    let result = try await implementation.\(method.swiftName)(parameters, call: call, replies: \(ns).ReplySink(reply))"
                                )
                            }
                            w.line("    reply.reply(result.jsonObject)")
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
    }

    private func requirement(_ method: GeneratedMethod) -> String {
        let parameters = method.parameters.qualifiedName
        let reply = method.reply.qualifiedName
        if method.more == .unsupported {
            return
                "func \(method.swiftName)(_ parameters: \(parameters), call: Varlink.VarlinkCall) async throws -> \(reply)"
        }
        return
            "func \(method.swiftName)(_ parameters: \(parameters), call: Varlink.VarlinkCall, replies: \(ns).ReplySink<\(reply)>) async throws -> \(reply)"
    }
}
