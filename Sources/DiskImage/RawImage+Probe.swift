package import SystemCalls

/// What the headers of a raw image say, read without a loop device, a mount or a verity check.
package struct ImageProbe: Sendable, Equatable {
    package var layout: ImageSummary.Layout
    /// The root file system, or nil when it is inside a LUKS2 volume (then `encrypted` is true).
    package var fileSystem: FileSystemKind?
    package var encrypted: Bool
    /// dm-verity data was found (sidecars or partitions); it has not been checked.
    package var verityPresent: Bool
    /// A root hash signature (`.roothash.p7s` or a signature partition) was found.
    package var signaturePresent: Bool
    /// That signature is valid and made by a trusted (verity.d) key. It vouches for the root hash
    /// only: the data is checked against it when the image is opened.
    package var signed: Bool
    /// The root (or /usr) partition the headers name; nil for a bare file system.
    package var partition: GPTPartition?
    /// What `RootImagePolicy=` pins for the image, as far as the headers tell (the file system inside
    /// a LUKS2 volume is unknown). Equal to `ImageSummary.pinnedPolicyFacts` of the opened image.
    package var pinnedPolicy: PinnedImagePolicy
}

extension RawImage {
    /// Dissects an image from its headers only (GPT, superblock magic, LUKS2 magic, verity sidecars next
    /// to `sidecarPath`): a few reads, cheap enough for `ListImages` over hundreds of images. `file` is
    /// borrowed as in `open(file:…)`. Nothing read here is trusted beyond display: `open` verifies
    /// before anything from inside the image is used.
    package static func probe(
        file: FileDescriptor,
        path: String,
        sidecarPath: String? = nil,
        options: RawImageOptions = RawImageOptions()
    ) throws(DiskImageError) -> ImageProbe {
        let (readable, status) = try reopenForReading(file, path: path)
        defer { readable.close() }
        let size = try imageSize(readable, status: status, path: path)
        let stem = sidecarPath ?? path
        let sidecars = options.useVeritySidecars ? try VeritySidecars.load(for: stem) : VeritySidecars()
        let dissection = try ImageDissector.dissect(
            FileByteReader(descriptor: readable, size: size, path: path),
            path: path,
            sidecars: sidecars,
            explicitRootHash: options.rootHash,
            architectures: options.architectures
        )
        var fileSystem: FileSystemKind?
        if case .fileSystem(let kind) = dissection.content { fileSystem = kind }
        var signed = false
        if let plan = dissection.verity, let signature = plan.signature,
            let keys = try? VerityKeyDirectories.load(root: options.verityKeyRoot)
        {
            signed = ((try? signature.check(rootHash: plan.rootHash, keys: keys, imagePath: path)) ?? nil) != nil
        }
        return ImageProbe(
            layout: dissection.partitionTable == nil ? .fileSystem : .gpt,
            fileSystem: fileSystem,
            encrypted: dissection.content == .luks,
            verityPresent: dissection.verity != nil,
            signaturePresent: dissection.verity?.signaturePresent ?? false,
            signed: signed,
            partition: dissection.rootPartition,
            pinnedPolicy: PinnedImagePolicy.dissected(
                designator: dissection.designator,
                partitionTable: dissection.partitionTable,
                partition: dissection.rootPartition,
                fileSystem: fileSystem,
                encrypted: dissection.content == .luks,
                verity: dissection.verity.map { (origin: $0.origin, hashSource: $0.hashSource) },
                unverifiableRootHash: dissection.unverifiableRootHash
            )
        )
    }
}
