package import VarlinkIDL

/// The generator pipeline: parse (VarlinkIDL) → translate (Swift names and types) → render (Swift text).
///
/// Output is deterministic: the same IDL and configuration always give the same bytes.
package enum VarlinkGenerator {
    /// Generates Swift for an already parsed interface.
    package static func generate(_ interface: IDLInterface, configuration: GeneratorConfiguration) -> String {
        let model = InterfaceTranslator(interface: interface).translate()
        return SwiftRenderer(model: model, configuration: configuration).render()
    }

    /// Parses `source` and generates Swift; throws the parser's diagnostics.
    package static func generate(
        source: String,
        fileName: String,
        configuration: GeneratorConfiguration
    ) throws(IDLError) -> String {
        let interface = try IDLParser.parse(source, fileName: fileName)
        return generate(interface, configuration: configuration)
    }
}
