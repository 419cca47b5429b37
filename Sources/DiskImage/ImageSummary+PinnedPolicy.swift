extension ImageSummary {
    /// What `RootImagePolicy=` pins about this image (see `PinnedImagePolicy` for the forms).
    package var pinnedPolicyFacts: PinnedImagePolicy {
        PinnedImagePolicy.dissected(
            designator: mountedDesignator,
            partitionTable: partitionTable,
            partition: rootPartition,
            fileSystem: fileSystem,
            encrypted: encryption != .none,
            verity: verity.map { (origin: $0.origin, hashSource: $0.hashSource) },
            unverifiableRootHash: unverifiableRootHash
        )
    }

    /// The `RootImagePolicy=` text pinning what was found, exactly as systemd-portabled 262 writes it
    /// for the same image.
    package var pinnedImagePolicy: String { pinnedPolicyFacts.text }
}
