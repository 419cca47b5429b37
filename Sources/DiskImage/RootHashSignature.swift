internal import Signature

/// A PKCS#7 signature of a root hash: `.roothash.p7s`/`.usrhash.p7s` next to the image, or the
/// `signature` of a `*-verity-sig` partition.
///
/// As in systemd, what is signed is the root hash as lowercase hex text (no newline), and the signer
/// must be one of the verity.d certificates itself (no chain, no certificate from the signature).
package struct RootHashSignature: Sendable, Equatable {
    package var bytes: [UInt8]
    /// Where it came from, for messages: the sidecar's path or `signature partition N`.
    package var origin: String

    package init(bytes: [UInt8], origin: String) {
        self.bytes = bytes
        self.origin = origin
    }

    /// Checks the signature as systemd ≥ 262 does before activating verity: the path of the certificate
    /// that made it; nil when it does not validate (no trusted certificate, an untrusted signer, another
    /// root hash), in which case systemd activates the volume as unsigned verity, which the default image
    /// policy permits. A signature that cannot be parsed, or a check that cannot run, refuses the image.
    func check(
        rootHash: [UInt8],
        keys: VerityKeyDirectories,
        imagePath: String
    ) throws(DiskImageError) -> String? {
        let hex = hexString(rootHash)
        do {
            return try PKCS7Verifier.verify(signature: bytes, content: Array(hex.utf8), trusting: keys.certificates)
        } catch {
            switch error {
            case .malformed, .libraryUnavailable:
                throw DiskImageError(
                    path: imagePath,
                    reason: .veritySignatureInvalid("the signature in \(origin) \(error.description)")
                )
            default: return nil
            }
        }
    }
}
