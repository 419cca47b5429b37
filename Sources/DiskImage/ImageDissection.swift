/// What to mount from an image and how to check it, decided from untrusted metadata before any
/// loop device exists.
public struct ImageDissection: Sendable {
    public enum Layout: Sendable, Equatable {
        /// The whole image is one file system (or one LUKS2 volume).
        case bare
        case gpt(GPTPartitionTable)
    }

    /// How the mounted region is to be checked with dm-verity.
    public struct VerityPlan: Sendable, Equatable {
        public var rootHash: [UInt8]
        public var origin: RootHashOrigin
        public var hashSource: VerityHashSource
        /// Region of the hash partition inside the image (for `.partition`).
        public var hashRegion: (offset: UInt64, size: UInt64)?
        public var signaturePresent: Bool

        public static func == (lhs: VerityPlan, rhs: VerityPlan) -> Bool {
            lhs.rootHash == rhs.rootHash && lhs.origin == rhs.origin && lhs.hashSource == rhs.hashSource
                && lhs.hashRegion?.offset == rhs.hashRegion?.offset && lhs.hashRegion?.size == rhs.hashRegion?.size
                && lhs.signaturePresent == rhs.signaturePresent
        }
    }

    public var layout: Layout
    /// The root (or generic Linux) partition that gets mounted; nil for bare images.
    public var rootPartition: GPTPartition?
    /// Byte region of the image to attach to the loop device (size 0 = to the end).
    public var offset: UInt64
    public var size: UInt64
    public var content: ContentProbe.Content
    public var verity: VerityPlan?

    /// The partition table, when there is one.
    public var partitionTable: GPTPartitionTable? {
        if case .gpt(let table) = layout { return table }
        return nil
    }
}

/// Decides what to mount: the GPT root partition for this architecture (Discoverable Partitions
/// Specification), or a single bare file system; plus the verity plan from the root hash sources.
public enum ImageDissector {
    public static func dissect(
        _ reader: some ByteReader,
        path: String,
        sidecars: VeritySidecars = VeritySidecars(),
        explicitRootHash: [UInt8]? = nil,
        architectures: [Architecture] = Architecture.compatibleWithNative
    ) throws(DiskImageError) -> ImageDissection {
        guard reader.size >= 4096 else {
            throw DiskImageError(path: path, reason: .truncated("\(reader.size) bytes is too small for any image"))
        }
        let rootHash = explicitRootHash ?? sidecars.rootHash
        let rootHashOrigin: RootHashOrigin = explicitRootHash != nil ? .option : .sidecar

        if GPTParser.hasSignature(reader) {
            let table = try GPTParser.parse(reader, path: path)
            return try dissectGPT(
                table,
                reader: reader,
                path: path,
                rootHash: rootHash,
                rootHashOrigin: rootHashOrigin,
                sidecars: sidecars,
                architectures: architectures
            )
        }
        guard let content = ContentProbe.identify(reader) else {
            throw DiskImageError(path: path, reason: .unknownFormat)
        }
        var verity: ImageDissection.VerityPlan?
        if let rootHash {
            guard let hashTree = sidecars.hashTreePath else {
                throw DiskImageError(path: path, reason: .verityDataMissing)
            }
            verity = .init(
                rootHash: rootHash,
                origin: rootHashOrigin,
                hashSource: .sidecar(path: hashTree),
                hashRegion: nil,
                signaturePresent: sidecars.rootHashSignaturePresent
            )
        }
        return ImageDissection(layout: .bare, rootPartition: nil, offset: 0, size: 0, content: content, verity: verity)
    }

    static func dissectGPT(
        _ table: GPTPartitionTable,
        reader: some ByteReader,
        path: String,
        rootHash: [UInt8]?,
        rootHashOrigin: RootHashOrigin,
        sidecars: VeritySidecars,
        architectures: [Architecture]
    ) throws(DiskImageError) -> ImageDissection {
        // A root hash names its root partition: the partition UUID is the hash's first 128 bits.
        func matchesHash(_ partition: GPTPartition, range: Range<Int>) -> Bool {
            guard let rootHash, rootHash.count >= range.upperBound else { return true }
            return partition.uuid.bytes == Array(rootHash[range])
        }
        var root: GPTPartition?
        var rootArchitecture: Architecture?
        for architecture in architectures {
            let candidates = table.partitions(.root).filter {
                $0.type.architecture == architecture && matchesHash($0, range: 0..<16)
            }
            if candidates.count > 1 { throw DiskImageError(path: path, reason: .multipleRootPartitions) }
            if let candidate = candidates.first {
                root = candidate
                rootArchitecture = architecture
                break
            }
        }
        if root == nil {
            // A single generic Linux partition is accepted as root, as systemd's GENERIC_ROOT does.
            let generic = table.partitions(.linuxGeneric)
            if generic.count == 1, rootHash == nil { root = generic[0] }
        }
        guard let root else { throw DiskImageError(path: path, reason: .noRootPartition) }

        guard let content = ContentProbe.identify(reader, at: root.offset, size: root.size) else {
            throw DiskImageError(
                path: path,
                reason: .unsupportedFileSystem(
                    "partition \(root.number) (\(root.type)) holds no recognised file system"
                )
            )
        }

        let verityPartitions = table.partitions(.rootVerity).filter {
            $0.type.architecture == rootArchitecture && matchesHash($0, range: 16..<32)
        }
        if verityPartitions.count > 1 { throw DiskImageError(path: path, reason: .multipleRootPartitions) }
        let signaturePartition = table.partitions(.rootVeritySignature).first {
            $0.type.architecture == rootArchitecture
        }
        var verity: ImageDissection.VerityPlan?
        if let verityPartition = verityPartitions.first {
            var hash = rootHash
            var origin = rootHashOrigin
            if hash == nil, let signaturePartition,
                let signed = try VeritySignaturePartition.rootHash(reader, partition: signaturePartition, path: path)
            {
                hash = signed
                origin = .signaturePartition
            }
            if hash == nil {
                // DPS: root partition UUID ‖ verity partition UUID = the 256-bit root hash.
                hash = root.uuid.bytes + verityPartition.uuid.bytes
                origin = .partitionUUIDs
            }
            verity = .init(
                rootHash: hash!,
                origin: origin,
                hashSource: .partition(number: verityPartition.number),
                hashRegion: (verityPartition.offset, verityPartition.size),
                signaturePresent: signaturePartition != nil || sidecars.rootHashSignaturePresent
            )
        } else if let rootHash {
            guard let hashTree = sidecars.hashTreePath else {
                throw DiskImageError(path: path, reason: .verityDataMissing)
            }
            verity = .init(
                rootHash: rootHash,
                origin: rootHashOrigin,
                hashSource: .sidecar(path: hashTree),
                hashRegion: nil,
                signaturePresent: sidecars.rootHashSignaturePresent
            )
        }
        return ImageDissection(
            layout: .gpt(table),
            rootPartition: root,
            offset: root.offset,
            size: root.size,
            content: content,
            verity: verity
        )
    }
}
