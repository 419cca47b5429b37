import DiskImage
import Foundation
import TestSupport

/// A `--root`-style key tree whose `/etc/verity.d` trusts one throwaway self-signed key: what the
/// signature tests and the signed-verity benchmark open images against.
struct TrustedVerityKeys {
    /// The tree's root (`keys/` in the fixture), as `RawImageOptions.verityKeyRoot` takes it.
    let keyRoot: String
    let key: VeritySigningKey
    /// The trusted certificate's path inside the tree (what `Verity.signer` reports).
    let certificatePath: String
}

extension RawFixture {
    /// Makes `keys/etc/verity.d/NAME.crt` for a new key named `name`.
    func trustedVerityKeys(named name: String) throws -> TrustedVerityKeys {
        let keyRoot = path("keys")
        try FileManager.default.createDirectory(atPath: keyRoot + "/etc/verity.d", withIntermediateDirectories: true)
        let key = try VeritySigningKey.selfSigned(name, in: directory)
        let certificatePath = keyRoot + "/etc/verity.d/\(name).crt"
        try FileManager.default.copyItem(atPath: key.certificatePath, toPath: certificatePath)
        return TrustedVerityKeys(keyRoot: keyRoot, key: key, certificatePath: certificatePath)
    }
}
