/// What to mount from an image and how to check it, decided from untrusted metadata before any
/// loop device exists.
package struct ImageDissection: Sendable {
    package enum Layout: Sendable, Equatable {
        /// The whole image is one file system (or one LUKS2 volume).
        case bare
        case gpt(GPTPartitionTable)
    }

    /// How the mounted region is to be checked with dm-verity.
    package struct VerityPlan: Sendable, Equatable {
        package var rootHash: [UInt8]
        package var origin: RootHashOrigin
        package var hashSource: VerityHashSource
        /// Region of the hash partition inside the image (for `.partition`).
        package var hashRegion: (offset: UInt64, size: UInt64)?
        /// The root hash signature to check before the hash tree (sidecar or signature partition).
        package var signature: RootHashSignature?

        package var signaturePresent: Bool { signature != nil }

        package static func == (lhs: VerityPlan, rhs: VerityPlan) -> Bool {
            lhs.rootHash == rhs.rootHash && lhs.origin == rhs.origin && lhs.hashSource == rhs.hashSource
                && lhs.hashRegion?.offset == rhs.hashRegion?.offset && lhs.hashRegion?.size == rhs.hashRegion?.size
                && lhs.signature == rhs.signature
        }
    }

    package var layout: Layout
    /// What the mounted file system is: `.root` (also bare images), `.linuxGeneric`, or `.usr` for
    /// /usr-only images (mounted at `/usr` under an empty read-only root).
    package var designator: PartitionDesignator
    /// The root (or generic Linux, or usr) partition that gets mounted; nil for bare images.
    package var rootPartition: GPTPartition?
    /// Byte region of the image to attach to the loop device (size 0 = to the end).
    package var offset: UInt64
    package var size: UInt64
    package var content: ContentProbe.Content
    package var verity: VerityPlan?
    /// A `.roothash`/`.usrhash` sidecar without any hash tree (no `.verity` file, no verity partition):
    /// nothing can be checked, so the image is used unverified, as systemd-portabled does; 262 still
    /// pins `verity` for it (and PID 1 then refuses to start it).
    package var unverifiableRootHash = false

    /// The partition table, when there is one.
    package var partitionTable: GPTPartitionTable? {
        if case .gpt(let table) = layout { return table }
        return nil
    }
}

/// Decides what to mount: the GPT root partition for this architecture (Discoverable Partitions
/// Specification), or a single bare file system; plus the verity plan from the root hash sources.
package enum ImageDissector {
    package static func dissect(
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
        let unverifiable = rootHash != nil && rootHashOrigin == .sidecar && sidecars.hashTreePath == nil
        if let rootHash, !unverifiable {
            verity = try sidecarVerity(
                rootHash: rootHash,
                origin: rootHashOrigin,
                sidecars: sidecars,
                signature: sidecars.rootHashSignature,
                path: path
            )
        }
        return ImageDissection(
            layout: .bare,
            designator: .root,
            rootPartition: nil,
            offset: 0,
            size: 0,
            content: content,
            verity: verity,
            unverifiableRootHash: unverifiable
        )
    }

    static func dissectGPT(
        _ table: GPTPartitionTable,
        reader: some ByteReader,
        path: String,
        rootHash explicitOrSidecarRootHash: [UInt8]?,
        rootHashOrigin: RootHashOrigin,
        sidecars: VeritySidecars,
        architectures: [Architecture]
    ) throws(DiskImageError) -> ImageDissection {
        var designator = PartitionDesignator.root
        var hash = explicitOrSidecarRootHash
        var hashOrigin = rootHashOrigin
        var selected = try selectPartition(.root, in: table, hash: hash, architectures: architectures, path: path)
        if selected == nil {
            // A single generic Linux partition is accepted as root, as systemd's GENERIC_ROOT does.
            let generic = table.partitions(.linuxGeneric)
            if generic.count == 1, hash == nil {
                selected = (generic[0], nil)
                designator = .linuxGeneric
            }
        }
        if selected == nil {
            // /usr-only images (typical for sysext): the usr partition, checked against `.usrhash`.
            if rootHashOrigin != .option {
                hash = sidecars.usrHash
                hashOrigin = .sidecar
            }
            selected = try selectPartition(.usr, in: table, hash: hash, architectures: architectures, path: path)
            designator = .usr
        }
        guard let (partition, architecture) = selected else {
            throw DiskImageError(path: path, reason: .noRootPartition)
        }
        guard let content = ContentProbe.identify(reader, at: partition.offset, size: partition.size) else {
            throw DiskImageError(
                path: path,
                reason: .unsupportedFileSystem(
                    "partition \(partition.number) (\(partition.type)) holds no recognised file system"
                )
            )
        }

        let verityDesignator = designator.verityCompanion ?? .rootVerity
        let verityPartition = newestByLabel(
            table.partitions(verityDesignator).filter {
                $0.type.architecture == architecture && matches($0, hash: hash, range: 16..<32)
            }
        )
        let signaturePartition = table.partitions(designator.signatureCompanion ?? .rootVeritySignature).first {
            $0.type.architecture == architecture
        }
        var signature = designator == .usr ? sidecars.usrHashSignature : sidecars.rootHashSignature
        var verity: ImageDissection.VerityPlan?
        var unverifiable = false
        if let verityPartition {
            if signature == nil, let signaturePartition {
                let signed = try VeritySignaturePartition.read(reader, partition: signaturePartition, path: path)
                if let hash, hash != signed.rootHash {
                    throw DiskImageError(
                        path: path,
                        reason: .veritySignatureInvalid(
                            "signature partition \(signaturePartition.number) is over root hash "
                                + "\(hexString(signed.rootHash)), not the image's root hash \(hexString(hash))"
                        )
                    )
                }
                if hash == nil { hashOrigin = .signaturePartition }
                hash = signed.rootHash
                signature = RootHashSignature(
                    bytes: signed.signature,
                    origin: "signature partition \(signaturePartition.number)"
                )
            }
            // DPS: data partition UUID ‖ verity partition UUID = the 256-bit root hash.
            let effectiveHash = hash ?? (partition.uuid.bytes + verityPartition.uuid.bytes)
            verity = .init(
                rootHash: effectiveHash,
                origin: hash == nil ? .partitionUUIDs : hashOrigin,
                hashSource: .partition(number: verityPartition.number),
                hashRegion: (verityPartition.offset, verityPartition.size),
                signature: signature
            )
        } else if hash != nil, hashOrigin == .sidecar, sidecars.hashTreePath == nil {
            unverifiable = true
        } else if let hash {
            guard designator != .usr else { throw DiskImageError(path: path, reason: .verityDataMissing) }
            verity = try sidecarVerity(
                rootHash: hash,
                origin: hashOrigin,
                sidecars: sidecars,
                signature: signature,
                path: path
            )
        }
        return ImageDissection(
            layout: .gpt(table),
            designator: designator,
            rootPartition: partition,
            offset: partition.offset,
            size: partition.size,
            content: content,
            verity: verity,
            unverifiableRootHash: unverifiable
        )
    }

    /// Verity against the hash tree in the `.verity` sidecar, which a known root hash makes mandatory.
    static func sidecarVerity(
        rootHash: [UInt8],
        origin: RootHashOrigin,
        sidecars: VeritySidecars,
        signature: RootHashSignature?,
        path: String
    ) throws(DiskImageError) -> ImageDissection.VerityPlan {
        guard let hashTree = sidecars.hashTreePath else {
            throw DiskImageError(path: path, reason: .verityDataMissing)
        }
        return ImageDissection.VerityPlan(
            rootHash: rootHash,
            origin: origin,
            hashSource: .sidecar(path: hashTree),
            hashRegion: nil,
            signature: signature
        )
    }

    /// A root hash names its data partition: the partition UUID is the hash's first 128 bits (and the
    /// verity partition's UUID the next 128).
    static func matches(_ partition: GPTPartition, hash: [UInt8]?, range: Range<Int>) -> Bool {
        guard let hash, hash.count >= range.upperBound else { return true }
        return partition.uuid.bytes == Array(hash[range])
    }

    /// The `designator` partition for the best architecture (and matching `hash`, if given); of several,
    /// the newest by label (see `newestByLabel`).
    static func selectPartition(
        _ designator: PartitionDesignator,
        in table: GPTPartitionTable,
        hash: [UInt8]?,
        architectures: [Architecture],
        path: String
    ) throws(DiskImageError) -> (GPTPartition, Architecture?)? {
        for architecture in architectures {
            let candidates = table.partitions(designator).filter {
                $0.type.architecture == architecture && matches($0, hash: hash, range: 0..<16)
            }
            if let candidate = newestByLabel(candidates) { return (candidate, architecture) }
        }
        return nil
    }

    /// systemd's A/B rule for root and /usr (and their verity partitions): of several candidates of one
    /// architecture, the one whose label is the newest version wins; on equal versions the first in the
    /// table does.
    static func newestByLabel(_ candidates: [GPTPartition]) -> GPTPartition? {
        var best: GPTPartition?
        for candidate in candidates {
            if let current = best, VersionComparison.compare(candidate.label, current.label) <= 0 { continue }
            best = candidate
        }
        return best
    }
}
