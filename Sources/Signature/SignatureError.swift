package import SystemCalls

/// Why a PKCS#7 signature was not accepted. `description` is a sentence fragment meant to follow
/// "the signature …" in the caller's message, which names the image.
package enum SignatureError: Error, Sendable, Equatable, CustomStringConvertible {
    /// libcrypto could not be loaded.
    case libraryUnavailable(SystemCallError)
    /// Not DER PKCS#7 (truncated, garbage, empty).
    case malformed
    /// No trusted certificate was found at all.
    case noTrustedCertificates
    /// The signer is none of the trusted certificates (`signer`: its subject when the signature
    /// carries its certificate).
    case untrustedSigner(signer: String?)
    /// The signature does not verify over the content: made over something else (another root
    /// hash) or damaged. Without signed attributes (`-noattr`, as systemd's tools sign) OpenSSL cannot
    /// tell the two apart.
    case contentMismatch
    /// Anything else OpenSSL refused, with its error text.
    case rejected(String)

    package var description: String {
        switch self {
        case .libraryUnavailable(let error): "cannot be checked: \(error)"
        case .malformed: "is not a DER-encoded PKCS#7 signature (truncated or garbage)"
        case .noTrustedCertificates: "cannot be checked: no trusted certificate (*.crt) in any verity.d directory"
        case .untrustedSigner(let signer):
            "was made by a key that no certificate in the verity.d directories trusts"
                + (signer.map { " (signer: \($0))" } ?? "")
        case .contentMismatch: "does not verify over the content (signed over something else, or damaged)"
        case .rejected(let reason): "was rejected: \(reason)"
        }
    }
}

/// A certificate trusted to sign root hashes: a PEM file's contents and where it came from.
package struct TrustedCertificate: Sendable, Hashable {
    /// The file it was read from, for messages.
    package var origin: String
    package var pem: [UInt8]

    package init(origin: String, pem: [UInt8]) {
        self.origin = origin
        self.pem = pem
    }
}
