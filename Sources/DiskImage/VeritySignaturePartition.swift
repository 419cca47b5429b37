/// Reads the root hash out of a `root-verity-sig` partition: a NUL-padded JSON object
/// `{"rootHash": "<hex>", "certificateFingerprint": "…", "signature": "<base64 PKCS#7>"}`.
///
/// Only `rootHash` is extracted (with a deliberately tiny scanner, because DiskImage has no JSON
/// dependency). The PKCS#7 signature is **not** checked here: that needs the kernel keyring and
/// dm-verity, which this kernel lacks; the summary reports that a signature is present.
enum VeritySignaturePartition {
    static let maximumSize = 64 * 1024

    static func rootHash(
        _ reader: some ByteReader,
        partition: GPTPartition,
        path: String
    ) throws(DiskImageError) -> [UInt8]? {
        let count = Int(min(UInt64(maximumSize), partition.size))
        let bytes = try reader.read(at: partition.offset, count: count)
        let text = String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        guard let key = text.firstRange(of: "\"rootHash\"") else { return nil }
        var rest = text[key.upperBound...].drop { $0 == " " || $0 == "\n" || $0 == "\t" }
        guard rest.first == ":" else { return nil }
        rest = rest.dropFirst().drop { $0 == " " || $0 == "\n" || $0 == "\t" }
        guard rest.first == "\"" else { return nil }
        rest = rest.dropFirst()
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return try VeritySidecars.parseRootHash(
            String(rest[..<end]),
            origin: "signature partition \(partition.number)",
            imagePath: path
        )
    }
}
