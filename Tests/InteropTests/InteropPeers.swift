import Foundation

/// The certification peers on this machine: Berth's own executable, the python reference
/// (PyPI `varlink`, module `varlink.tests.test_certification`) and Debian's Go one.
enum InteropPeers {
    /// Berth's `varlink-certification`, built by SwiftPM next to the test bundle.
    static func berth() throws -> String { try InteropScratch.executable("varlink-certification") }

    /// python3 from PATH first: pip may have installed `varlink` for a python that is not /usr/bin's.
    static let python3: String? =
        search("python3")
        ?? ["/usr/bin/python3", "/usr/local/bin/python3"].first(where: isExecutable)

    /// Whether python can import the certification module (Debian's python3-varlink lacks it).
    static let pythonCertificationAvailable: Bool = {
        guard let python3 else { return false }
        let result = try? PeerProcess.run(python3, ["-c", "import varlink.tests.test_certification"], timeout: 60)
        return result?.status == 0
    }()

    static let goCertification: String? = search("varlink-go-certification")

    private static func isExecutable(_ path: String) -> Bool { FileManager.default.isExecutableFile(atPath: path) }

    private static func search(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") where isExecutable("\(directory)/\(name)") {
            return "\(directory)/\(name)"
        }
        return nil
    }
}
