/// What the engine (and `list`/`inspect`) needs to know about an opened raw image.
public struct ImageSummary: Sendable {
    public enum ImageKind: String, Sendable {
        /// A regular file (by convention named `*.raw`).
        case raw
        /// A block device node.
        case block
    }

    public enum Layout: String, Sendable {
        /// A single file system without partition table.
        case fileSystem = "file-system"
        case gpt
    }

    public enum Encryption: Sendable, Equatable {
        case none
        case luks2(uuid: String?)
    }

    public struct Verity: Sendable, Equatable {
        public var rootHash: String
        public var origin: RootHashOrigin
        public var hashSource: VerityHashSource
        /// A `.roothash.p7s` sidecar or a signature partition exists (not cryptographically checked).
        public var signaturePresent: Bool
        /// The check was skipped because an identical image was verified earlier in this process.
        public var fromCache: Bool
    }

    public var path: String
    public var kind: ImageKind
    public var layout: Layout
    public var size: UInt64
    public var fileSystem: FileSystemKind
    public var partitionTable: GPTPartitionTable?
    public var rootPartition: GPTPartition?
    /// `.root` (bare images too), `.linuxGeneric`, or `.usr` for a /usr-only image (its partition is
    /// `rootPartition`, mounted at `/usr` under an empty read-only root).
    public var mountedDesignator: PartitionDesignator
    /// nil: not verity-protected.
    public var verity: Verity?
    public var encryption: Encryption
    /// `.usrhash` sidecar present (reported only; /usr-only images are not mounted).
    public var usrHashPresent: Bool

    /// The root is read-only: GPT read-only flag, or a read-only-by-design file system.
    public var isReadOnly: Bool {
        if let rootPartition { return rootPartition.isReadOnly }
        return fileSystem.isInherentlyReadOnly
    }

    /// An image policy string pinning what was found (`RootImagePolicy=` syntax), e.g.
    /// `root=read-only-on+growfs-off+squashfs:=absent` for a GPT root with the read-only flag, or
    /// `root=squashfs:=absent` for a bare squashfs. Verity and encryption add `verity`/`encrypted`.
    public var pinnedImagePolicy: String {
        var flags: [String] = []
        if verity != nil { flags.append("verity") }
        if case .luks2 = encryption { flags.append("encrypted") }
        if let rootPartition {
            flags.append(rootPartition.isReadOnly ? "read-only-on" : "read-only-off")
            flags.append(rootPartition.growsFileSystem ? "growfs-on" : "growfs-off")
        }
        flags.append(fileSystem.rawValue)
        let name = mountedDesignator == .usr ? "usr" : "root"
        var policy = name + "=" + flags.joined(separator: "+")
        if verity != nil, case .partition = verity?.hashSource { policy += ":\(name)-verity=unprotected" }
        return policy + ":=absent"
    }
}
