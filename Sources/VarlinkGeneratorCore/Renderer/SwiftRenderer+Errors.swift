extension SwiftRenderer {
    /// The error enum: one case per IDL error, conforming to `VarlinkError`.
    func renderErrors(into writer: inout CodeWriter) {
        renderExtension(into: &writer) { w in
            w.line("/// The errors of `\(model.name)`, thrown by the client and by service implementations.")
            w.block(
                "\(access)enum Error: Swift.Error, Swift.Sendable, Swift.Hashable, Varlink.VarlinkError, Swift.CustomStringConvertible"
            ) { w in
                for error in model.errors {
                    w.documentation(error.documentation)
                    if error.fields.isEmpty {
                        w.line("case \(error.caseName)")
                    } else {
                        let values = error.fields.map { "\($0.swiftName): \($0.type.swift)" }.joined(separator: ", ")
                        w.line("case \(error.caseName)(\(values))")
                    }
                }
                renderSwitchOverErrors(
                    "The fully qualified error name on the wire.",
                    property: "errorName: Swift.String",
                    into: &w
                ) { error, w in
                    w.line("case .\(error.caseName): return \(SafeNames.stringLiteral(error.wireName))")
                }
                renderSwitchOverErrors(
                    "The error's parameters on the wire.",
                    property: "errorParameters: VarlinkJSON.JSONObject",
                    into: &w
                ) { error, w in
                    guard !error.fields.isEmpty else {
                        w.line("case .\(error.caseName): return VarlinkJSON.JSONObject()")
                        return
                    }
                    let bindings = error.fields.indices.map { "let p\($0)" }.joined(separator: ", ")
                    w.line("case .\(error.caseName)(\(bindings)):")
                    w.line("    var members: [(key: Swift.String, value: VarlinkJSON.JSONValue)] = []")
                    for (index, field) in error.fields.enumerated() {
                        w.line("    " + WireExpressions.append(field, value: "p\(index)"))
                    }
                    w.line("    return VarlinkJSON.JSONObject(uniqueMembers: members)")
                }
                w.line()
                w.line("/// Decodes a received error of this interface; `nil` for other names or malformed parameters.")
                w.block("\(access)init?(name: Swift.String, parameters json: VarlinkJSON.JSONObject)") { w in
                    let decodes = model.errors.contains { !$0.fields.isEmpty }
                    if decodes {
                        w.line("let strict = false")
                        w.line("_ = strict")
                    }
                    let cases: (inout CodeWriter) -> Void = { w in
                        w.block("switch name") { w in
                            for error in model.errors {
                                w.line("case \(SafeNames.stringLiteral(error.wireName)):")
                                if error.fields.isEmpty {
                                    w.line("    self = .\(error.caseName)")
                                    continue
                                }
                                var arguments: [String] = []
                                for (index, field) in error.fields.enumerated() {
                                    w.line("    let p\(index) = \(WireExpressions.field(field))")
                                    arguments.append("\(SafeNames.label(field.swiftName)): p\(index)")
                                }
                                w.line("    self = .\(error.caseName)(\(arguments.joined(separator: ", ")))")
                            }
                            w.line("default:")
                            w.line("    return nil")
                        }
                    }
                    if decodes {
                        w.block("do", cases)
                        w.line("catch { return nil }")
                    } else {
                        cases(&w)
                    }
                }
                w.line()
                w.line("/// The name, then the parameters as JSON when there are any.")
                w.block("\(access)var description: Swift.String") { w in
                    w.line("let parameters = errorParameters")
                    w.line(
                        "return parameters.isEmpty ? errorName : errorName + \" \" + VarlinkJSON.JSONSerializer.string(.object(parameters))"
                    )
                }
                for nested in model.errorNestedTypes {
                    w.line()
                    render(nested, into: &w)
                }
            }
        }
    }

    /// A documented computed property of the error enum (after a blank line) whose body switches over
    /// `self`; `renderCase` writes each error's `case`.
    private func renderSwitchOverErrors(
        _ documentation: String,
        property: String,
        into writer: inout CodeWriter,
        _ renderCase: (GeneratedError, inout CodeWriter) -> Void
    ) {
        writer.line()
        writer.line("/// " + documentation)
        writer.block("\(access)var \(property)") { w in
            w.block("switch self") { w in
                for error in model.errors { renderCase(error, &w) }
            }
        }
    }
}
