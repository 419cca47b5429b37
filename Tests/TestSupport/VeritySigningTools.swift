import Foundation

/// Throwaway keys and PKCS#7 root hash signatures made with the `openssl` command, as systemd's
/// tooling makes them: `openssl smime -sign -binary -noattr -outform der` over the root hash hex.
package struct VeritySigningKey {
    package let keyPath: String
    package let certificatePath: String

    /// A self-signed key pair `name.key`/`name.crt` in `directory`, subject `CN=<name>`.
    package static func selfSigned(_ name: String, in directory: String) throws -> VeritySigningKey {
        let key = VeritySigningKey(
            keyPath: directory + "/" + name + ".key",
            certificatePath: directory + "/" + name + ".crt"
        )
        try RawImageTools.run(
            "openssl",
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.keyPath, "-out", key.certificatePath,
                "-days", "2", "-subj", "/CN=\(name)",
            ]
        )
        return key
    }

    /// A key pair whose certificate `name.crt` is issued by `authority` (a throwaway CA).
    package static func issued(
        _ name: String,
        by authority: VeritySigningKey,
        in directory: String
    ) throws
        -> VeritySigningKey
    {
        let key = VeritySigningKey(
            keyPath: directory + "/" + name + ".key",
            certificatePath: directory + "/" + name + ".crt"
        )
        let request = directory + "/" + name + ".csr"
        try RawImageTools.run(
            "openssl",
            [
                "req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", key.keyPath, "-out", request, "-subj",
                "/CN=\(name)",
            ]
        )
        try RawImageTools.run(
            "openssl",
            [
                "x509", "-req", "-in", request, "-CA", authority.certificatePath, "-CAkey", authority.keyPath,
                "-set_serial", "7", "-days", "2", "-out", key.certificatePath,
            ]
        )
        return key
    }

    /// DER PKCS#7 signature of `content` (detached; the signer's certificate included unless
    /// `includeCertificate` is false, as `-nocerts` leaves it out).
    package func sign(_ content: String, includeCertificate: Bool = true) throws -> [UInt8] {
        let directory = (keyPath as NSString).deletingLastPathComponent
        let input = directory + "/sign-input-\(UUID().uuidString)"
        let output = input + ".p7s"
        try content.write(toFile: input, atomically: false, encoding: .utf8)
        defer {
            try? FileManager.default.removeItem(atPath: input)
            try? FileManager.default.removeItem(atPath: output)
        }
        try RawImageTools.run(
            "openssl",
            [
                "smime", "-sign", "-in", input, "-signer", certificatePath, "-inkey", keyPath, "-binary", "-noattr",
                "-outform", "der", "-out", output,
            ] + (includeCertificate ? [] : ["-nocerts"])
        )
        return Array(try Data(contentsOf: URL(fileURLWithPath: output)))
    }

    /// The `*-verity-sig` partition payload systemd-repart writes: JSON, NUL-padded to `size`.
    package static func signaturePartition(rootHash: String, signature: [UInt8], size: Int = 4096) -> [UInt8] {
        let json =
            "{\"rootHash\":\"\(rootHash)\",\"certificateFingerprint\":\"00\",\"signature\":\"\(Data(signature).base64EncodedString())\"}"
        var bytes = Array(json.utf8)
        bytes += [UInt8](repeating: 0, count: max(0, size - bytes.count))
        return bytes
    }
}
