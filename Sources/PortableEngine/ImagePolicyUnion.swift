/// `ExtensionImagePolicy=` for several raw extensions, as systemd-portabled ≥ 260 writes it: one policy
/// admitting every extension, the union of their pinned policies (compared in the 262 lab: a squashfs
/// and an erofs give `root=erofs+squashfs:=absent`; a /usr-only GPT and a signed squashfs give
/// `root=signed+absent+squashfs:usr=read-only-on+growfs-off+squashfs:=absent`).
///
/// systemd's rules, per designator: a policy without an entry for it contributes its default
/// (`absent`, which says nothing about flags or file systems); a flag group a policy leaves unset
/// stands for all of its values; a group the union fills completely is left out again.
enum ImagePolicyUnion {
    static let protections = ["verity", "signed", "encrypted", "unprotected", "unused", "absent"]
    static let readOnly = ["read-only-on", "read-only-off"]
    static let growFileSystem = ["growfs-on", "growfs-off"]
    static let fileSystems = ["btrfs", "erofs", "ext4", "f2fs", "squashfs", "vfat", "xfs"]
    /// systemd's designator order, which `image_policy_to_string` follows.
    static let designators = [
        "root", "usr", "home", "srv", "esp", "xbootldr", "swap", "root-verity", "usr-verity",
        "root-verity-sig", "usr-verity-sig", "tmp", "var",
    ]

    /// The union of pinned policies (as `ImageSummary.pinnedImagePolicy` writes them); nil for none.
    static func union(_ policies: [String]) -> String? {
        guard policies.count > 1 else { return policies.first }
        let parsed = policies.map(entries)
        var parts: [String] = []
        for designator in designators where parsed.contains(where: { $0[designator] != nil }) {
            var protection = Set<String>()
            var readOnlyFlags = Set<String>()
            var growFlags = Set<String>()
            var fileSystemFlags = Set<String>()
            var anyFileSystem = false
            for policy in parsed {
                let flags = Set(policy[designator] ?? ["absent"])
                let own = flags.intersection(protections)
                protection.formUnion(own.isEmpty ? Set(protections) : own)
                if own == ["absent"] { continue }  // an absent partition has no flags or file system
                readOnlyFlags.formUnion(orAll(flags.intersection(readOnly), readOnly))
                growFlags.formUnion(orAll(flags.intersection(growFileSystem), growFileSystem))
                let kinds = flags.intersection(fileSystems)
                if kinds.isEmpty { anyFileSystem = true } else { fileSystemFlags.formUnion(kinds) }
            }
            // Hash and signature partitions are the protection: no protection flags of their own.
            if designator.contains("-verity") { protection = Set(protections) }
            var flags: [String] = []
            flags += Set(protections) == protection ? [] : protections.filter(protection.contains)
            flags += Set(readOnly) == readOnlyFlags ? [] : readOnly.filter(readOnlyFlags.contains)
            flags += Set(growFileSystem) == growFlags ? [] : growFileSystem.filter(growFlags.contains)
            flags += anyFileSystem ? [] : fileSystems.filter(fileSystemFlags.contains)
            parts.append(designator + "=" + flags.joined(separator: "+"))
        }
        return (parts + ["=absent"]).joined(separator: ":")
    }

    private static func orAll(_ flags: Set<String>, _ group: [String]) -> Set<String> {
        flags.isEmpty ? Set(group) : flags
    }

    /// `designator=flag+flag:…:=default` → flags by designator (the default entry is `absent` here).
    private static func entries(_ policy: String) -> [String: [String]] {
        var result: [String: [String]] = [:]
        for entry in policy.split(separator: ":") {
            let parts = entry.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty else { continue }
            result[String(parts[0])] = parts[1].split(separator: "+").map(String.init)
        }
        return result
    }
}
