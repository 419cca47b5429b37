/// The extra restrictions of systemd's IDL parser (sd-varlink-idl.c, systemd 257), as a lint.
///
/// systemd accepts only a subset of the specification's grammar. This is why
/// `varlinkctl validate-idl` rejects `org.varlink.certification` ("26:11: Bad syntax" at
/// `[string]()`): inline empty `()` is ambiguous to it, and it cannot nest containers
/// (`?[]?[string](…)` is beyond its "`?`, one `[]`/`[string]`, element" shape). Interfaces meant
/// for systemd tooling (varlinkctl introspect, varlink-http-bridge) should pass this lint.
public enum IDLSystemdCompatibility {
    /// Warnings for every construct systemd's parser rejects; empty when systemd would accept the text.
    public static func check(_ interface: IDLInterface, fileName: String? = nil) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        func warn(_ message: String, at location: SourceLocation) {
            diagnostics.append(
                Diagnostic(.warning, message + " (systemd's parser rejects this)", at: location, fileName: fileName)
            )
        }
        if interface.name.contains("--") {
            warn("interface name '\(interface.name)' contains '--'", at: interface.location)
        }
        func checkFields(_ body: IDLStruct) {
            for field in body.fields { checkType(field.type, at: field.typeLocation, field: field.name) }
        }
        func checkType(_ type: IDLType, at location: SourceLocation, field: String) {
            var inner = type.unwrapped
            switch inner {
            case .array(let element), .map(let element):
                inner = element
                switch element {
                case .optional, .array, .map:
                    warn("field '\(field)' nests containers ('\(IDLFormatter.format(type))')", at: location)
                    return
                default: break
                }
            default: break
            }
            switch inner {
            case .struct(let body):
                if body.fields.isEmpty {
                    warn("field '\(field)' uses an inline empty '()'", at: location)
                }
                checkFields(body)
            case .enum: break
            default: break
            }
        }
        for member in interface.members {
            switch member {
            case .type(let definition):
                switch definition.body {
                case .struct(let body):
                    if body.fields.isEmpty {
                        warn("type '\(definition.name)' is an empty struct", at: definition.location)
                    }
                    checkFields(body)
                case .enum(let body):
                    if body.values.isEmpty {
                        warn("type '\(definition.name)' is an empty enum", at: definition.location)
                    }
                }
            case .method(let method):
                checkFields(method.input)
                checkFields(method.output)
            case .error(let error):
                checkFields(error.parameters)
            }
        }
        return diagnostics
    }
}
