/// What the engine (and `list`/`inspect`) needs to know about an opened raw image.
package struct ImageSummary: Sendable {
    package enum ImageKind: String, Sendable {
        /// A regular file (by convention named `*.raw`).
        case raw
        /// A block device node.
        case block
    }

    package enum Layout: String, Sendable {
        /// A single file system without partition table.
        case fileSystem = "file-system"
        case gpt
    }

    package enum Encryption: Sendable, Equatable {
        case none
        case luks2(uuid: String?)
    }

    package struct Verity: Sendable, Equatable {
        package var rootHash: String
        package var origin: RootHashOrigin
        package var hashSource: VerityHashSource
        /// A `.roothash.p7s`/`.usrhash.p7s` sidecar or a signature partition exists.
        package var signaturePresent: Bool
        /// The signature was checked against the verity.d certificates and is valid. One that does not
        /// validate leaves the image plain verity, as systemd ≥ 262 falls back to when the image policy
        /// permits unsigned verity (portabled's default does); one that cannot be parsed refuses it.
        package var signed: Bool
        /// The certificate file that made the signature; nil when unsigned.
        package var signer: String?
        /// The check was skipped because an identical image was verified earlier in this process.
        package var fromCache: Bool
    }

    package var path: String
    package var kind: ImageKind
    package var layout: Layout
    package var size: UInt64
    package var fileSystem: FileSystemKind
    package var partitionTable: GPTPartitionTable?
    package var rootPartition: GPTPartition?
    /// `.root` (bare images too), `.linuxGeneric`, or `.usr` for a /usr-only image (its partition is
    /// `rootPartition`, mounted at `/usr` under an empty read-only root).
    package var mountedDesignator: PartitionDesignator
    /// nil: not verity-protected.
    package var verity: Verity?
    /// Verity-protected with a root hash signature by a trusted key (`signed` in image policies).
    package var isSigned: Bool { verity?.signed ?? false }
    package var encryption: Encryption
    /// A root hash sidecar without hash tree: used unverified, pinned `verity` (see `ImageDissection`).
    package var unverifiableRootHash = false
    /// `.usrhash` sidecar present (reported only; /usr-only images are not mounted).
    package var usrHashPresent: Bool

    /// The root is read-only: GPT read-only flag, or a read-only-by-design file system.
    package var isReadOnly: Bool {
        if let rootPartition { return rootPartition.isReadOnly }
        return fileSystem.isInherentlyReadOnly
    }
}
