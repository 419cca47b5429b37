import BerthClient
import PortableEngine

/// Engine values ↔ generated io.berth.Portable types. Varlink enum values use `_` where systemd's
/// strings use `-` (`attached_runtime`).
enum WireConversion {
    static func state(_ state: ImageState) -> Portable.ImageState {
        Portable.ImageState(rawValue: state.rawValue.replacing("-", with: "_")) ?? .detached
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
            state: state(image.state)
        )
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
            disk: nil
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
