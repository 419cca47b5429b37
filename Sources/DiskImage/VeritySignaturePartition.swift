/// Reads a `root-verity-sig`/`usr-verity-sig` partition: a NUL-padded JSON object
/// `{"rootHash": "<hex>", "certificateFingerprint": "…", "signature": "<base64 DER PKCS#7>"}`.
///
/// Only the two string members needed are extracted (with a deliberately tiny scanner, because
/// DiskImage has no JSON dependency); `certificateFingerprint` is a hint systemd does not need for
/// the check either. The signature is checked later, against the verity.d certificates.
enum VeritySignaturePartition {
    static let maximumSize = 64 * 1024

    struct Contents: Sendable, Equatable {
        var rootHash: [UInt8]
        var signature: [UInt8]
    }

    static func read(
        _ reader: some ByteReader,
        partition: GPTPartition,
        path: String
    ) throws(DiskImageError) -> Contents {
        let count = Int(min(UInt64(maximumSize), partition.size))
        let bytes = try reader.read(at: partition.offset, count: count)
        let text = String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        let origin = "signature partition \(partition.number)"
        func invalid(_ detail: String) -> DiskImageError {
            DiskImageError(path: path, reason: .veritySignatureInvalid("\(origin) \(detail)"))
        }
        guard text.first(where: { !$0.isWhitespace }) == "{" else { throw invalid("holds no JSON object") }
        guard let hashText = stringMember("rootHash", in: text) else { throw invalid("has no \"rootHash\" string") }
        let rootHash = try VeritySidecars.parseRootHash(hashText, origin: origin, imagePath: path)
        guard let signatureText = stringMember("signature", in: text) else {
            throw invalid("has no \"signature\" string")
        }
        guard let signature = Base64.decode(signatureText), !signature.isEmpty else {
            throw invalid("has a \"signature\" that is not base64")
        }
        return Contents(rootHash: rootHash, signature: signature)
    }

    /// The value of the string member `key` of a flat JSON object (escapes `\"`, `\\`, `\/` and the
    /// control escapes decoded; `\u` is not needed by either member and makes the value invalid).
    static func stringMember(_ key: String, in text: String) -> String? {
        guard let found = text.firstRange(of: "\"\(key)\"") else { return nil }
        var rest = text[found.upperBound...].drop { $0.isWhitespace }
        guard rest.first == ":" else { return nil }
        rest = rest.dropFirst().drop { $0.isWhitespace }
        guard rest.first == "\"" else { return nil }
        var value = ""
        var escaped = false
        for character in rest.dropFirst() {
            if escaped {
                switch character {
                case "\"", "\\", "/": value.append(character)
                case "n": value.append("\n")
                case "t": value.append("\t")
                case "r": value.append("\r")
                default: return nil
                }
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "\"" {
                return value
            } else {
                value.append(character)
            }
        }
        return nil
    }
}
