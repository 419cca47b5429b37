#if canImport(Glibc)
import Glibc
#endif

/// `extension_release_validate` for the portable scope: does an extension fit the root image?
enum ExtensionValidator {
    /// The host architecture in systemd's naming (`x86-64`, `arm64`, …).
    static let hostArchitecture: String = {
        var name = utsname()
        uname(&name)
        let machine = withUnsafeBytes(of: name.machine) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        let table = [
            "x86_64": "x86-64", "i686": "x86", "i386": "x86", "aarch64": "arm64", "armv7l": "arm",
            "ppc64le": "ppc64-le", "ppc64": "ppc64", "s390x": "s390x", "riscv64": "riscv64",
            "loongarch64": "loongarch64",
        ]
        return table[machine] ?? machine
    }()

    /// Whether `release` (of `kind`) may extend a root with `rootRelease`; nil if yes, else the reason.
    static func mismatch(
        root rootRelease: ReleaseFile,
        extension release: ReleaseFile,
        kind: ExtensionClass
    )
        -> String?
    {
        let prefix = kind.fieldPrefix
        if release.fields.isEmpty { return "extension-release data is empty" }
        let scope = release[prefix + "_SCOPE"].map { _ in release.list(prefix + "_SCOPE") } ?? ["system", "portable"]
        if !scope.contains("portable") { return "\(prefix)_SCOPE= does not include 'portable'" }
        if let architecture = release["ARCHITECTURE"], !architecture.isEmpty, architecture != "_any",
            architecture != hostArchitecture
        {
            return "ARCHITECTURE=\(architecture) does not match the host (\(hostArchitecture))"
        }
        guard let id = release["ID"], !id.isEmpty else { return "extension-release lacks the ID field" }
        // ID=_any matches every root, levels and versions included.
        if id == "_any" { return nil }
        let rootID = rootRelease["ID"] ?? ""
        if id != rootID && !rootRelease.list("ID_LIKE").contains(id) {
            return "ID=\(id) does not match the root's ID=\(rootID)"
        }
        let rootVersion = rootRelease["VERSION_ID"]
        let rootLevel = rootRelease[prefix + "_LEVEL"]
        if rootVersion == nil && rootLevel == nil { return nil }
        if let rootLevel, let level = release[prefix + "_LEVEL"] {
            return level == rootLevel ? nil : "\(prefix)_LEVEL=\(level) does not match the root's \(rootLevel)"
        }
        if let rootVersion {
            let version = release["VERSION_ID"] ?? ""
            return version == rootVersion ? nil : "VERSION_ID=\(version) does not match the root's \(rootVersion)"
        }
        return nil
    }
}
