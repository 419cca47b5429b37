public import Cryptsetup

/// How to open a raw image: verity inputs, LUKS2 keys, cache.
public struct RawImageOptions: Sendable {
    /// A root hash given by the caller; overrides `.roothash` sidecars and partition UUIDs.
    public var rootHash: [UInt8]?
    /// Read `.roothash`/`.verity`/`.usrhash`/`.p7s` next to the image (default on).
    public var useVeritySidecars = true
    /// Refuse images without any verity protection.
    public var requireVerity = false
    /// Verified results are remembered here; nil verifies every time.
    public var verityCache: VerityCache? = .shared

    /// LUKS2 passphrase (wiped by its owner, never logged).
    public var passphrase: SecretBytes?
    /// A key file whose contents are the key (regular file, at most 8 MiB), or an AF_UNIX stream
    /// socket that hands out the key (systemd-cryptsetup's key-socket protocol).
    public var keyFile: String?
    /// Try the header's tokens through libcryptsetup's token plugins.
    public var useTokens = false

    /// Architectures whose root partitions are acceptable, best first.
    public var architectures: [Architecture] = Architecture.compatibleWithNative

    public init() {}
}
