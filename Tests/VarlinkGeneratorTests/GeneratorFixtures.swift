import Foundation

/// Paths of the interface fixtures (shared with VarlinkIDLTests) and of the checked-in generated code.
enum GeneratorFixtures {
    static let testDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let interfaces = testDirectory.deletingLastPathComponent().appendingPathComponent("VarlinkIDLTests/Fixtures")
    static let generated = testDirectory.appendingPathComponent("Generated")
    static let portable = testDirectory.deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("interfaces/io.berth.Portable.varlink")

    /// Every fixture interface that has checked-in generated code, as paths relative to `interfaces`.
    static var compiledInterfaces: [String] {
        let systemd =
            (try? FileManager.default.contentsOfDirectory(atPath: interfaces.appendingPathComponent("systemd").path))
            ?? []
        let top = (try? FileManager.default.contentsOfDirectory(atPath: interfaces.path)) ?? []
        return (systemd.map { "systemd/" + $0 } + top).filter { $0.hasSuffix(".varlink") }.sorted()
    }

    static func interfaceText(_ relativePath: String) throws -> String {
        try String(contentsOf: interfaces.appendingPathComponent(relativePath), encoding: .utf8)
    }

    static func generatedText(for relativePath: String) throws -> String {
        let base = String((relativePath as NSString).lastPathComponent.dropLast(".varlink".count)) + ".swift"
        return try String(contentsOf: generated.appendingPathComponent(base), encoding: .utf8)
    }
}
