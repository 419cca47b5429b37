/// What `RootImagePolicy=` pins about an image, as facts about its partitions, and the one function
/// that writes them in systemd-portabled 262's form (`image_policy_new_from_dissected`, simplified:
/// entries equal to the `absent` default are dropped). Berth's own dissection (`ImageSummary`) and the
/// user scope's systemd-mountfsd opener both fill these facts, so the same image is pinned alike
/// whichever opened it. systemd 257 writes no pin. Verified image by image in the 262 lab:
///
/// | image                                          | policy                                                   |
/// |------------------------------------------------|----------------------------------------------------------|
/// | bare squashfs / erofs / ext4                   | `root=squashfs:=absent` (no GPT flags)                   |
/// | bare squashfs, `.roothash` + `.verity`         | `root=signed+squashfs:=absent` (`.roothash.p7s` or not)  |
/// | bare squashfs, `.roothash` only                | `root=verity+squashfs:=absent`                           |
/// | GPT squashfs root, no flags                    | `root=read-only-on+growfs-off+squashfs:=absent`          |
/// | GPT ext4 root, growfs flag                     | `root=read-only-off+growfs-on+ext4:=absent`              |
/// | GPT ext4 root, read-only + growfs flags        | `root=read-only-on+growfs-off+ext4:=absent`              |
/// | GPT ext4 root + root-verity, growfs flag       | `root=verity+read-only-on+growfs-on+ext4:root-verity=read-only-on+growfs-off:=absent` |
/// | GPT usr-only squashfs                          | `usr=read-only-on+growfs-off+squashfs:=absent`           |
/// | GPT squashfs root + root-verity + root-verity-sig | `root=signed+read-only-on+growfs-off+squashfs:root-verity=read-only-on+growfs-off:root-verity-sig=read-only-on+growfs-off:=absent` |
///
/// So the read-only flag is the *mounted* view (the GPT flag, a read-only-by-design file system, or a
/// hash tree), growfs is the GPT flag unless the read-only flag or the file system rules it out, and
/// a hash partition is always read-only without growfs. PID 1 262 checks the raw GPT flags against
/// this, so an image whose flags disagree with its file system (squashfs without the read-only
/// flag) fails to start under portabled too ("Operation not possible due to RF-kill").
package struct PinnedImagePolicy: Sendable, Equatable {
    /// The protection word: `signed` or `verity` (see `protection(layout:origin:hashSource:)`).
    package enum Protection: String, Sendable {
        case none, verity, signed
    }

    /// Where the hash tree that protects the data partition is.
    package enum HashTree: Sendable, Equatable {
        /// A `.verity` file next to the image.
        case sidecar
        /// A `root-verity`/`usr-verity` partition (pinned as an entry of its own).
        case partition
    }

    /// The GPT attribute bits of the data partition, as the partition table has them.
    package struct PartitionFlags: Sendable, Equatable {
        package var readOnly: Bool
        package var growFileSystem: Bool

        package init(readOnly: Bool, growFileSystem: Bool) {
            self.readOnly = readOnly
            self.growFileSystem = growFileSystem
        }
    }

    /// The partition the image is mounted from: `.root` (bare images and a generic Linux partition
    /// too) or `.usr` for a /usr-only image.
    package var designator: PartitionDesignator
    /// The file system's name (`squashfs`, `ext4`, …); nil when unknown (inside a LUKS2 volume not opened).
    package var fileSystem: String?
    /// The data partition is a LUKS2 volume ("crypto_LUKS" to systemd, which names no policy file system).
    package var encrypted: Bool
    /// nil for a bare file system: its policy has no GPT flags.
    package var partitionFlags: PartitionFlags?
    package var protection: Protection
    /// nil: no hash tree (unprotected, or a root hash without hash data, used unverified).
    package var hashTree: HashTree?
    /// A `root-verity-sig`/`usr-verity-sig` partition is in the table (dissected with or without a
    /// trusted certificate).
    package var signaturePartition: Bool

    package init(
        designator: PartitionDesignator,
        fileSystem: String?,
        encrypted: Bool = false,
        partitionFlags: PartitionFlags?,
        protection: Protection = .none,
        hashTree: HashTree? = nil,
        signaturePartition: Bool = false
    ) {
        self.designator = designator
        self.fileSystem = fileSystem
        self.encrypted = encrypted
        self.partitionFlags = partitionFlags
        self.protection = protection
        self.hashTree = hashTree
        self.signaturePartition = signaturePartition
    }

    /// The file system names an image policy knows; others are left out, as systemd leaves them.
    static let policyFileSystems: Set<String> = ["btrfs", "erofs", "ext4", "f2fs", "squashfs", "vfat", "xfs"]

    /// The `RootImagePolicy=` text.
    package var text: String {
        var flags: [String] = []
        if protection != .none { flags.append(protection.rawValue) }
        if encrypted { flags.append("encrypted") }
        if let partitionFlags {
            let fileSystemReadOnly = fileSystem.flatMap(FileSystemKind.init(rawValue:))?.isInherentlyReadOnly ?? false
            let readWrite = !partitionFlags.readOnly && !fileSystemReadOnly && hashTree == nil
            let grows = partitionFlags.growFileSystem && !partitionFlags.readOnly && !fileSystemReadOnly
            flags.append(readWrite ? "read-only-off" : "read-only-on")
            flags.append(grows ? "growfs-on" : "growfs-off")
        }
        if !encrypted, let fileSystem, Self.policyFileSystems.contains(fileSystem) { flags.append(fileSystem) }
        let name = designator == .usr ? "usr" : "root"
        var policy = name + "=" + flags.joined(separator: "+")
        if hashTree == .partition {
            policy += ":\(name)-verity=read-only-on+growfs-off"
            if signaturePartition { policy += ":\(name)-verity-sig=read-only-on+growfs-off" }
        }
        return policy + ":=absent"
    }

    /// The facts as Berth's dissection finds them (`ImageSummary` once open, `ImageProbe` from headers).
    /// `fileSystem` is nil inside a LUKS2 volume; `verity` is where the root hash and hash tree come from.
    static func dissected(
        designator: PartitionDesignator,
        partitionTable: GPTPartitionTable?,
        partition: GPTPartition?,
        fileSystem: FileSystemKind?,
        encrypted: Bool,
        verity: (origin: RootHashOrigin, hashSource: VerityHashSource)?,
        unverifiableRootHash: Bool
    ) -> PinnedImagePolicy {
        var facts = PinnedImagePolicy(
            designator: designator,
            fileSystem: encrypted ? nil : fileSystem?.rawValue,
            encrypted: encrypted,
            partitionFlags: partition.map {
                PartitionFlags(readOnly: $0.isReadOnly, growFileSystem: $0.growsFileSystem)
            },
            signaturePartition: designator.signatureCompanion.map {
                partitionTable?.partitions($0).isEmpty == false
            } ?? false
        )
        if let verity {
            let layout: ImageSummary.Layout = partitionTable == nil ? .fileSystem : .gpt
            facts.protection = protection(layout: layout, origin: verity.origin, hashSource: verity.hashSource)
            if case .partition = verity.hashSource { facts.hashTree = .partition } else { facts.hashTree = .sidecar }
        } else if unverifiableRootHash {
            facts.protection = .verity
        }
        return facts
    }

    /// `signed` or `verity`, as observed with portabled 262: `signed` for a bare file system whose root
    /// hash and hash tree come from `.roothash` and `.verity` sidecars (with or without `.roothash.p7s`),
    /// `verity` for GPT verity partitions (also with a `.roothash.p7s` sidecar). A root hash read from a
    /// signature partition is pinned `signed`, as systemd's verity_sig_ready rule says.
    static func protection(
        layout: ImageSummary.Layout,
        origin: RootHashOrigin,
        hashSource: VerityHashSource
    )
        -> Protection
    {
        switch (layout, hashSource) {
        case (.fileSystem, .sidecar): .signed
        case (.gpt, _) where origin == .signaturePartition: .signed
        default: .verity
        }
    }
}
