package import Cryptsetup

/// How to open a raw image: verity inputs, LUKS2 keys, cache.
package struct RawImageOptions: Sendable {
    /// A root hash given by the caller; overrides `.roothash` sidecars and partition UUIDs.
    package var rootHash: [UInt8]?
    /// Read `.roothash`/`.verity`/`.usrhash`/`.p7s` next to the image (default on).
    package var useVeritySidecars = true
    /// Refuse images without any verity protection.
    package var requireVerity = false
    /// Verified results are remembered here; nil verifies every time.
    package var verityCache: VerityCache? = .shared
    /// The tree whose `verity.d` directories hold the certificates root hash signatures are checked
    /// against (`--root=DIR`; "/" for this machine). Paths resolve inside it.
    package var verityKeyRoot = "/"

    /// LUKS2 passphrase (wiped by its owner, never logged).
    package var passphrase: SecretBytes?
    /// A key file whose contents are the key (regular file, at most 8 MiB), or an AF_UNIX stream
    /// socket that hands out the key (systemd-cryptsetup's key-socket protocol).
    package var keyFile: String?
    /// Try the header's tokens through libcryptsetup's token plugins.
    package var useTokens = false

    /// Architectures whose root partitions are acceptable, best first.
    package var architectures: [Architecture] = Architecture.compatibleWithNative

    package init() {}
}
