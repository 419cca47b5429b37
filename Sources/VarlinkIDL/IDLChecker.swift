/// The semantic checks systemd's parser makes (sd-varlink-idl.c), reported with the spec's reason.
///
/// Duplicate member names (types, methods and errors share one namespace), duplicate fields in
/// one struct (a method's input and output are separate structs), duplicate enum values, names
/// that break the spec's rules, and type references that name no `type` of the interface.
struct IDLChecker {
    let fileName: String?
    private(set) var diagnostics: [Diagnostic] = []
    private var memberKinds: [String: String] = [:]

    init(fileName: String?) { self.fileName = fileName }

    private mutating func error(_ message: String, at location: SourceLocation) {
        diagnostics.append(Diagnostic(.error, message, at: location, fileName: fileName))
    }

    mutating func check(_ interface: IDLInterface) {
        if let problem = IDLNameRules.interfaceNameProblem(interface.name) {
            error("invalid interface name '\(interface.name)': \(problem)", at: interface.location)
        }
        var seen: [String: SourceLocation] = [:]
        for member in interface.members {
            let kind: String
            switch member {
            case .type: kind = "type"
            case .method: kind = "method"
            case .error: kind = "error"
            }
            if let problem = IDLNameRules.memberNameProblem(member.name) {
                error("invalid \(kind) name '\(member.name)': \(problem)", at: member.location)
            }
            if let previous = seen[member.name] {
                error(
                    "duplicate member name '\(member.name)' (first declared at \(previous)); "
                        + "types, methods and errors share one namespace",
                    at: member.location
                )
            } else {
                seen[member.name] = member.location
                memberKinds[member.name] = kind
            }
        }
        for member in interface.members {
            switch member {
            case .type(let definition):
                switch definition.body {
                case .struct(let body): check(body, in: "type '\(definition.name)'", interface: interface)
                case .enum(let body): check(body, in: "type '\(definition.name)'")
                }
            case .method(let method):
                check(method.input, in: "the input of method '\(method.name)'", interface: interface)
                check(method.output, in: "the output of method '\(method.name)'", interface: interface)
            case .error(let definition):
                check(definition.parameters, in: "error '\(definition.name)'", interface: interface)
            }
        }
    }

    private mutating func check(_ body: IDLStruct, in context: @autoclosure () -> String, interface: IDLInterface) {
        var seen = DuplicateFinder()
        for field in body.fields {
            checkName(field.name, at: field.location, &seen, invalid: "field name", duplicate: "field", in: context)
            check(field.type, at: field.typeLocation, in: "field '\(field.name)' of \(context())", interface: interface)
        }
    }

    private mutating func check(_ body: IDLEnum, in context: @autoclosure () -> String) {
        var seen = DuplicateFinder()
        for value in body.values {
            checkName(
                value.name,
                at: value.location,
                &seen,
                invalid: "enum value",
                duplicate: "enum value",
                in: context
            )
        }
    }

    /// Field names and enum values follow the same rules: valid, and each only once per list
    /// (`seen`). The messages call the name `invalid …` and `duplicate …`.
    private mutating func checkName(
        _ name: String,
        at location: SourceLocation,
        _ seen: inout DuplicateFinder,
        invalid: String,
        duplicate: String,
        in context: () -> String
    ) {
        if let problem = IDLNameRules.fieldNameProblem(name) {
            error("invalid \(invalid) '\(name)' in \(context()): \(problem)", at: location)
        }
        if let previous = seen.insert(name, at: location) {
            error("duplicate \(duplicate) '\(name)' in \(context()) (first declared at \(previous))", at: location)
        }
    }

    private mutating func check(
        _ type: IDLType,
        at location: SourceLocation,
        in context: @autoclosure () -> String,
        interface: IDLInterface
    ) {
        switch type {
        case .bool, .int, .float, .string, .object, .any: return
        case .optional(let inner), .array(let inner), .map(let inner):
            check(inner, at: location, in: context(), interface: interface)
        case .struct(let body): check(body, in: "the anonymous struct of \(context())", interface: interface)
        case .enum(let body): check(body, in: "the anonymous enum of \(context())")
        case .named(let name): checkReference(name, at: location, in: context(), interface: interface)
        }
    }

    private mutating func checkReference(
        _ name: String,
        at location: SourceLocation,
        in context: @autoclosure () -> String,
        interface: IDLInterface
    ) {
        if let problem = IDLNameRules.typeReferenceProblem(name) {
            error("unknown type '\(name)' in \(context()): \(problem)", at: location)
            return
        }
        var local = name
        if name.contains(".") {
            let prefix = interface.name + "."
            guard name.hasPrefix(prefix) else {
                error(
                    "unknown type '\(name)' in \(context()): types of other interfaces cannot be resolved",
                    at: location
                )
                return
            }
            local = String(name.dropFirst(prefix.count))
        }
        switch memberKinds[local] {
        case "type": return
        case let kind?:
            error("'\(name)' in \(context()) is \(kind == "error" ? "an" : "a") \(kind), not a type", at: location)
        case nil: error("unknown type '\(name)' in \(context()): no type of that name is declared", at: location)
        }
    }
}

/// Finds repeated names: a linear scan for the small structs and enums IDL has, a dictionary for big ones.
private struct DuplicateFinder {
    private var names: [(String, SourceLocation)] = []
    private var index: [String: SourceLocation]? = nil

    /// Records `name`; returns where it was first seen when it is a duplicate.
    mutating func insert(_ name: String, at location: SourceLocation) -> SourceLocation? {
        if index != nil {
            if let previous = index![name] { return previous }
            index![name] = location
            return nil
        }
        for (existing, previous) in names where existing == name { return previous }
        names.append((name, location))
        if names.count > 32 { index = Dictionary(names, uniquingKeysWith: { first, _ in first }) }
        return nil
    }
}
