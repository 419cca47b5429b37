import Foundation

/// Reads the fixture interfaces next to this file (the test target excludes `Fixtures` from sources).
enum IDLFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Fixtures"
    )

    static func text(_ relativePath: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(relativePath), encoding: .utf8)
    }

    static func names(in subdirectory: String) -> [String] {
        let url = subdirectory.isEmpty ? directory : directory.appendingPathComponent(subdirectory)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        return names.filter { $0.hasSuffix(".varlink") }.sorted().map {
            subdirectory.isEmpty ? $0 : subdirectory + "/" + $0
        }
    }

    /// Every valid interface: systemd 257's own, the varlink reference ones, the bench and Berth's.
    static var validInterfaces: [String] { names(in: "systemd") + names(in: "") }

    static func portableInterface() throws -> String {
        let url = directory.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("interfaces/io.berth.Portable.varlink")
        return try String(contentsOf: url, encoding: .utf8)
    }
}
