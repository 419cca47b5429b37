extension ImageSummary {
    /// The `RootImagePolicy=` text pinning what was found, exactly as systemd-portabled 262 writes it
    /// for the same image (`image_policy_new_from_dissected`, simplified: entries equal to the `absent`
    /// default are dropped). systemd 257 writes none. Verified image by image in the 262 lab:
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
    /// So the read-only flag is the *mounted* view (the GPT flag, a read-only-by-design file system, or
    /// verity), growfs is the GPT flag unless the read-only flag or the file system rules it out, and
    /// a hash partition is always read-only without growfs. PID 1 262 checks the raw GPT flags against
    /// this, so an image whose flags disagree with its file system (squashfs without the read-only
    /// flag) fails to start under portabled too ("Operation not possible due to RF-kill").
    package var pinnedImagePolicy: String {
        var flags: [String] = []
        if let verity {
            flags.append(Self.verityProtection(verity, layout: layout))
        } else if unverifiableRootHash {
            flags.append("verity")
        }
        if case .luks2 = encryption { flags.append("encrypted") }
        if let rootPartition {
            let fileSystemReadOnly = fileSystem.isInherentlyReadOnly
            let readWrite = !rootPartition.isReadOnly && !fileSystemReadOnly && verity == nil
            let growFileSystem = rootPartition.growsFileSystem && !rootPartition.isReadOnly && !fileSystemReadOnly
            flags.append(readWrite ? "read-only-off" : "read-only-on")
            flags.append(growFileSystem ? "growfs-on" : "growfs-off")
        }
        // A LUKS partition is dissected as "crypto_LUKS", which names no policy file system.
        if encryption == .none { flags.append(fileSystem.rawValue) }
        let name = mountedDesignator == .usr ? "usr" : "root"
        var policy = name + "=" + flags.joined(separator: "+")
        if case .partition = verity?.hashSource {
            policy += ":\(name)-verity=read-only-on+growfs-off"
            // The signature partition is dissected too, with or without a trusted certificate.
            if let signature = mountedDesignator.signatureCompanion,
                partitionTable?.partitions(signature).isEmpty == false
            {
                policy += ":\(name)-verity-sig=read-only-on+growfs-off"
            }
        }
        return policy + ":=absent"
    }

    /// `signed` or `verity`, as observed with portabled 262: `signed` for a bare file system whose root
    /// hash and hash tree come from `.roothash` and `.verity` sidecars (with or without `.roothash.p7s`),
    /// `verity` for GPT verity partitions (also with a `.roothash.p7s` sidecar). A root hash read from a
    /// signature partition is pinned `signed`, as systemd's verity_sig_ready rule says.
    static func verityProtection(_ verity: Verity, layout: Layout) -> String {
        switch (layout, verity.hashSource) {
        case (.fileSystem, .sidecar): "signed"
        case (.gpt, _) where verity.origin == .signaturePartition: "signed"
        default: "verity"
        }
    }
}
