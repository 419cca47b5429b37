import BerthClient
import PortableEngine
import VarlinkJSON

/// Engine values ↔ generated io.berth.Portable types. Varlink enum values use `_` where systemd's
/// strings use `-` (`attached_runtime`).
enum WireConversion {
    /// A switch, not string rewriting: `list` converts one per image, and the compiler checks both enums.
    static func state(_ state: ImageState) -> Portable.ImageState {
        switch state {
        case .detached: .detached
        case .attached: .attached
        case .attachedRuntime: .attachedRuntime
        case .enabled: .enabled
        case .enabledRuntime: .enabledRuntime
        case .running: .running
        case .runningRuntime: .runningRuntime
        }
    }

    static func type(_ kind: ImageKind) -> Portable.ImageType {
        Portable.ImageType(rawValue: kind.rawValue) ?? .directory
    }

    static func copyMode(_ mode: Portable.CopyMode?) -> CopyMode {
        mode.flatMap { CopyMode(rawValue: $0.rawValue) } ?? .auto
    }

    static func change(_ change: Change) -> Portable.Change {
        Portable.Change(
            type: Portable.ChangeType(rawValue: change.kind.rawValue) ?? .write,
            path: change.path,
            source: change.source
        )
    }

    static func job(_ job: QueuedJob) -> Portable.Job {
        Portable.Job(unit: job.unit, path: job.path, method: job.method)
    }

    static func image(_ image: ImageSummary) -> Portable.Image {
        Portable.Image(
            name: image.name,
            path: image.path,
            type: type(image.kind),
            readOnly: image.readOnly,
            creationTimestamp: image.creationTimestamp.map { Int(clamping: $0) },
            modificationTimestamp: image.modificationTimestamp.map { Int(clamping: $0) },
            usage: image.usage.map { Int(clamping: $0) },
            limit: image.limit.map { Int(clamping: $0) },
            usageExclusive: image.usageExclusive.map { Int(clamping: $0) },
            limitExclusive: image.limitExclusive.map { Int(clamping: $0) },
            state: state(image.state),
            disk: image.disk.map(disk)
        )
    }

    static func disk(_ details: DiskDetails) -> Portable.DiskInfo {
        Portable.DiskInfo(
            partitionTable: details.partitionTable,
            fileSystem: details.fileSystem,
            verity: Portable.VerityStatus(rawValue: details.verity.rawValue) ?? .none,
            encryption: Portable.EncryptionStatus(rawValue: details.encryption.rawValue) ?? .none
        )
    }

    /// The wire's key material as the engine's. The wire strings cannot be wiped (Swift strings are
    /// immutable values); the engine's copy is, and neither is ever logged.
    static func key(_ unlock: Portable.Unlock?) throws -> ImageKey? {
        switch (unlock?.passphrase, unlock?.key) {
        case (nil, nil):
            return nil
        case (let passphrase?, nil):
            return ImageKey(passphrase: passphrase)
        case (nil, let encoded?):
            guard let bytes = Base64.decode(encoded) else {
                throw Portable.Error.invalidArgument(
                    parameter: "unlock.key",
                    reason: "The key must be base64 (RFC 4648, with padding)."
                )
            }
            return ImageKey(bytes: bytes)
        case (.some, .some):
            throw Portable.Error.invalidArgument(parameter: "unlock", reason: "Give a passphrase or a key, not both.")
        }
    }

    static func releaseFile(_ file: ReleaseFile) -> Portable.ReleaseFile {
        var fields: [String: String] = [:]
        for (key, value) in file.fields { fields[key] = value }
        return Portable.ReleaseFile(image: file.image, path: file.path, contents: file.contents, fields: fields)
    }

    static func unitFile(_ unit: UnitFile) -> Portable.UnitFile {
        Portable.UnitFile(name: unit.name, image: unit.image, path: unit.path, contents: unit.contents)
    }

    static func metadata(_ metadata: ImageMetadata) -> Portable.ImageMetadata {
        Portable.ImageMetadata(
            path: metadata.path,
            type: type(metadata.kind),
            osRelease: releaseFile(metadata.osRelease),
            extensionReleases: metadata.extensionReleases.map(releaseFile),
            units: metadata.units.map(unitFile),
            disk: metadata.disk.map(disk)
        )
    }

    /// A wire limit (null = none) as the engine's optional byte count; negative values are refused.
    static func limit(_ value: Int?) throws -> UInt64? {
        guard let value else { return nil }
        guard value >= 0 else {
            throw Portable.Error.invalidArgument(parameter: "limit", reason: "A limit cannot be negative.")
        }
        return UInt64(value)
    }
}
