import VarlinkIDL

/// Translates a parsed interface into the generator model: names, nesting and Swift types.
struct InterfaceTranslator {
    let interface: IDLInterface
    let namespace: String
    /// Swift names of the top-level types, by IDL type name.
    private var typeNames: [String: String] = [:]

    /// Names the generated support declarations take inside the namespace. `InvalidMessage` and
    /// `ServiceProtocol` (earlier names, now `Varlink.VarlinkMessageError` and `API`) stay reserved so
    /// type names do not change.
    static let reservedNames: Set<String> = [
        "API", "Client", "Error", "ServiceProtocol", "ServiceAdapter", "InvalidMessage", "ReplyStream", "ReplySink",
        "Message", "interfaceName", "interfaceDescription", "Type", "Protocol", "Self", "Any",
    ]

    init(interface: IDLInterface) {
        self.interface = interface
        self.namespace = SafeNames.namespace(forInterface: interface.name)
        var used = Self.reservedNames
        for definition in interface.types {
            let name = Self.unique(definition.name, in: &used)
            typeNames[definition.name] = name
        }
    }

    static func unique(_ candidate: String, in used: inout Set<String>) -> String {
        var name = candidate
        while used.contains(name) { name += "_" }
        used.insert(name)
        return name
    }

    func translate() -> GeneratedInterface {
        var used = Set(typeNames.values).union(Self.reservedNames)
        let types = interface.types.map { definition -> GeneratedType in
            let name = typeNames[definition.name]!
            switch definition.body {
            case .struct(let body):
                return .structure(
                    makeStruct(name: name, parent: namespace, documentation: definition.documentation, body: body)
                )
            case .enum(let body):
                return .enumeration(
                    makeEnum(name: name, parent: namespace, documentation: definition.documentation, body: body)
                )
            }
        }
        var usedFunctions: Set<String> = []
        let methods = interface.methods.map { method -> GeneratedMethod in
            let parametersName = Self.unique(method.name + "Parameters", in: &used)
            let replyName = Self.unique(method.name + "Reply", in: &used)
            var functionName = SafeNames.lowerCamel(method.name)
            while usedFunctions.contains(functionName) || functionName == "varlinkConnection" { functionName += "_" }
            usedFunctions.insert(functionName)
            return GeneratedMethod(
                name: method.name,
                swiftName: functionName,
                documentation: method.documentation,
                parameters: makeStruct(
                    name: parametersName,
                    parent: namespace,
                    documentation: ["The parameters of `\(method.name)`."],
                    body: method.input
                ),
                reply: makeStruct(
                    name: replyName,
                    parent: namespace,
                    documentation: ["The reply of `\(method.name)`."],
                    body: method.output
                ),
                more: method.moreSupport
            )
        }
        var errorNested: [GeneratedType] = []
        var usedCases: Set<String> = []
        let errors = interface.errors.map { error -> GeneratedError in
            var caseName = SafeNames.lowerCamel(error.name)
            while usedCases.contains(caseName) { caseName += "_" }
            usedCases.insert(caseName)
            var nested: [GeneratedType] = []
            let fields = error.parameters.fields.map { field in
                makeField(field, parent: namespace + ".Error", nestedPrefix: error.name, nested: &nested)
            }
            errorNested += nested
            return GeneratedError(
                wireName: interface.name + "." + error.name,
                caseName: SafeNames.identifier(caseName),
                documentation: error.documentation,
                fields: fields
            )
        }
        return GeneratedInterface(
            name: interface.name,
            namespace: namespace,
            documentation: interface.documentation,
            description: IDLFormatter.format(interface),
            types: types,
            methods: methods,
            errors: errors,
            errorNestedTypes: errorNested
        )
    }

    private func makeStruct(name: String, parent: String, documentation: [String], body: IDLStruct) -> GeneratedStruct {
        let qualified = parent + "." + name
        var nested: [GeneratedType] = []
        let fields = body.fields.map { makeField($0, parent: qualified, nestedPrefix: "", nested: &nested) }
        return GeneratedStruct(
            name: name,
            qualifiedName: qualified,
            documentation: documentation,
            fields: fields,
            nested: nested
        )
    }

    private func makeEnum(name: String, parent: String, documentation: [String], body: IDLEnum) -> GeneratedEnum {
        var cases: [GeneratedEnumCase] = []
        var used: Set<String> = []
        let camel = body.values.map { SafeNames.lowerCamel($0.name) }
        // Fall back to the raw values when camel-casing would merge two of them (`a_b` and `aB`).
        let names = Set(camel).count == camel.count ? camel : body.values.map(\.name)
        for (value, candidate) in zip(body.values, names) {
            var caseName = candidate
            while used.contains(caseName) { caseName += "_" }
            used.insert(caseName)
            cases.append(
                GeneratedEnumCase(
                    swiftName: SafeNames.identifier(caseName),
                    rawValue: value.name,
                    documentation: value.documentation
                )
            )
        }
        return GeneratedEnum(name: name, qualifiedName: parent + "." + name, documentation: documentation, cases: cases)
    }

    private func makeField(
        _ field: IDLField,
        parent: String,
        nestedPrefix: String,
        nested: inout [GeneratedType]
    ) -> GeneratedField {
        let nestedName = nestedPrefix + SafeNames.upperCamel(field.name)
        let type = reference(for: field.type, parent: parent, nestedName: nestedName, nested: &nested)
        return GeneratedField(
            wireName: field.name,
            swiftName: SafeNames.identifier(field.name),
            documentation: field.documentation,
            type: type
        )
    }

    private func reference(
        for type: IDLType,
        parent: String,
        nestedName: String,
        nested: inout [GeneratedType]
    ) -> SwiftTypeReference {
        switch type {
        case .bool: return .bool
        case .int: return .int
        case .float: return .double
        case .string: return .string
        case .object: return .object
        case .any: return .any
        case .optional(let inner):
            return .optional(reference(for: inner, parent: parent, nestedName: nestedName, nested: &nested))
        case .array(let inner):
            return .array(reference(for: inner, parent: parent, nestedName: nestedName, nested: &nested))
        case .map(let inner):
            return .map(reference(for: inner, parent: parent, nestedName: nestedName, nested: &nested))
        case .struct(let body):
            let name = uniqueNested(nestedName, among: nested)
            nested.append(.structure(makeStruct(name: name, parent: parent, documentation: [], body: body)))
            return .structure(parent + "." + name)
        case .enum(let body):
            let name = uniqueNested(nestedName, among: nested)
            nested.append(.enumeration(makeEnum(name: name, parent: parent, documentation: [], body: body)))
            return .enumeration(parent + "." + name)
        case .named(let name):
            let local = name.hasPrefix(interface.name + ".") ? String(name.dropFirst(interface.name.count + 1)) : name
            guard let definition = interface.type(named: local), let swiftName = typeNames[definition.name] else {
                // The parser's checks reject unresolved names; stay total for unchecked input.
                return .any
            }
            switch definition.body {
            case .struct: return .structure(namespace + "." + swiftName)
            case .enum: return .enumeration(namespace + "." + swiftName)
            }
        }
    }

    private func uniqueNested(_ candidate: String, among nested: [GeneratedType]) -> String {
        let taken = Set(
            nested.map { type -> String in
                switch type {
                case .structure(let value): return value.name
                case .enumeration(let value): return value.name
                }
            }
        )
        var name = candidate
        while taken.contains(name) || Self.reservedNames.contains(name) { name += "_" }
        return name
    }
}
