/// What a partition is for, per the Discoverable Partitions Specification.
package enum PartitionDesignator: String, Sendable, Hashable, CaseIterable {
    case root, usr
    case rootVerity = "root-verity"
    case usrVerity = "usr-verity"
    case rootVeritySignature = "root-verity-sig"
    case usrVeritySignature = "usr-verity-sig"
    case esp, xbootldr, swap, home, srv, `var`, tmp
    case userHome = "user-home"
    case linuxGeneric = "linux-generic"

    /// The verity partition that protects this one (root → root-verity), if any.
    package var verityCompanion: PartitionDesignator? {
        switch self {
        case .root: .rootVerity
        case .usr: .usrVerity
        default: nil
        }
    }

    /// The signature partition for this one's verity data, if any.
    package var signatureCompanion: PartitionDesignator? {
        switch self {
        case .root: .rootVeritySignature
        case .usr: .usrVeritySignature
        default: nil
        }
    }
}

/// CPU architectures the specification assigns root/usr type UUIDs to. Raw values follow
/// systemd's architecture names (`uname -m` style as used in `ARCHITECTURE=`).
package enum Architecture: String, Sendable, Hashable, CaseIterable {
    case alpha, arc, arm, arm64, ia64, loongarch64, mips, mips64
    case mipsLE = "mips-le"
    case mips64LE = "mips64-le"
    case parisc, ppc, ppc64
    case ppc64LE = "ppc64-le"
    case riscv32, riscv64, s390, s390x, tilegx, x86
    case x86_64 = "x86-64"

    /// The architecture this binary was built for.
    package static var native: Architecture {
        #if arch(x86_64)
        .x86_64
        #elseif arch(arm64)
        .arm64
        #elseif arch(i386)
        .x86
        #elseif arch(arm)
        .arm
        #elseif arch(powerpc64le)
        .ppc64LE
        #elseif arch(powerpc64)
        .ppc64
        #elseif arch(s390x)
        .s390x
        #elseif arch(riscv64)
        .riscv64
        #else
        .x86_64
        #endif
    }

    /// Architectures whose images the native one can run (x86-64 also runs x86), best first.
    package static var compatibleWithNative: [Architecture] {
        switch native {
        case .x86_64: [.x86_64, .x86]
        case .arm64: [.arm64, .arm]
        default: [native]
        }
    }
}

/// A GPT partition type: a known DPS designator (with its architecture where it has one), or
/// a type this code does not interpret.
package struct PartitionType: Sendable, Hashable, CustomStringConvertible {
    package let uuid: GUID
    package let designator: PartitionDesignator?
    package let architecture: Architecture?

    package init(uuid: GUID) {
        self.uuid = uuid
        if let known = Self.known[uuid] {
            designator = known.designator
            architecture = known.architecture
        } else {
            designator = nil
            architecture = nil
        }
    }

    /// The type UUID for `designator` on `architecture` (nil when the spec defines none).
    package static func uuid(for designator: PartitionDesignator, architecture: Architecture? = nil) -> GUID? {
        known.first { $0.value.designator == designator && $0.value.architecture == architecture }?.key
    }

    /// `root-x86-64`, `usr-verity-arm64`, `esp`, or the UUID for unknown types.
    package var description: String {
        guard let designator else { return uuid.description }
        guard let architecture else { return designator.rawValue }
        return "\(designator.rawValue)-\(architecture.rawValue)"
    }

    private static let known: [GUID: (designator: PartitionDesignator, architecture: Architecture?)] = {
        var table: [GUID: (designator: PartitionDesignator, architecture: Architecture?)] = [:]
        for entry in PartitionTypeTable.perArchitecture {
            table[GUID(entry.uuid)!] = (entry.designator, entry.architecture)
        }
        for entry in PartitionTypeTable.architectureIndependent {
            table[GUID(entry.uuid)!] = (entry.designator, nil)
        }
        return table
    }()
}
