import BerthClient
import BerthService
import PortableEngine
import SystemCalls
import Systemd

#if canImport(Glibc)
import Glibc
#endif

/// The Manager's methods on `Portable.API`. Image objects' methods arrive here too, renamed to
/// their Manager counterparts with the image name as first argument.
extension PortableBusAdapter {
    /// The flag bits portabled accepts on the bus (`_PORTABLE_MASK_PUBLIC`).
    enum Flags {
        static let runtime: UInt64 = 1 << 0
        static let forceAttach: UInt64 = 1 << 1
        static let forceExtension: UInt64 = 1 << 2
        static let publicMask: UInt64 = runtime | forceAttach | forceExtension
    }

    /// Image methods → Manager methods.
    static let managerMethod: [String: String] = [
        "GetOSRelease": "GetImageOSRelease", "GetMetadata": "GetImageMetadata",
        "GetMetadataWithExtensions": "GetImageMetadataWithExtensions", "GetState": "GetImageState",
        "GetStateWithExtensions": "GetImageStateWithExtensions", "Attach": "AttachImage",
        "AttachWithExtensions": "AttachImageWithExtensions", "Detach": "DetachImage",
        "DetachWithExtensions": "DetachImageWithExtensions", "Reattach": "ReattachImage",
        "ReattachWithExtensions": "ReattachImageWithExtensions", "Remove": "RemoveImage",
        "MarkReadOnly": "MarkImageReadOnly", "SetLimit": "SetImageLimit",
    ]

    /// Runs a Manager method whose signature was checked already; returns the reply's values. ListImages
    /// is not here: its reply is written in place (`serve`).
    func perform(_ member: String, _ arguments: [BusValue]) async throws -> [BusValue] {
        let reader = ArgumentReader(arguments)
        switch member {
        case "GetImage":
            let image = reader.string(0)
            guard PortableNames.isValidImageName(image) else {
                throw PortableBusError.invalidArgs("Expected image name, not path in place of '\(image)'.")
            }
            let found = try await service.getImage(.init(image: image)).image
            return [.objectPath(Self.objectPath(forImage: found.name))]
        case "GetImageOSRelease":
            let metadata = try await inspect(reader.string(0), extensions: [], matches: [], force: false)
            return [.dictionary(valueSignature: "s", Self.orderedFields(metadata.osRelease).map { ($0, .string($1)) })]
        case "GetImageMetadata", "GetImageMetadataWithExtensions":
            let withExtensions = member.hasSuffix("WithExtensions")
            let flags = withExtensions ? try Self.flags(reader.uint64(3)) : 0
            // portabled sends the root's os-release unparsed; portablectl parses it (and may fail).
            let (metadata, osRelease) = try await inspectUnparsed(
                reader.string(0),
                extensions: withExtensions ? reader.strings(1) : [],
                matches: reader.strings(withExtensions ? 2 : 1),
                force: flags & Flags.forceExtension != 0
            )
            var reply: [BusValue] = [.string(metadata.path), .bytes(osRelease)]
            if withExtensions {
                reply.append(
                    .dictionary(
                        valueSignature: "ay",
                        metadata.extensionReleases.map { ($0.image, .bytes(Array($0.contents.utf8))) }
                    )
                )
            }
            reply.append(
                .dictionary(valueSignature: "ay", metadata.units.map { ($0.name, .bytes(Array($0.contents.utf8))) })
            )
            return reply
        case "GetImageState", "GetImageStateWithExtensions":
            let withExtensions = member.hasSuffix("WithExtensions")
            if withExtensions, reader.uint64(2) != 0 {
                throw PortableBusError.invalidArgs("Invalid 'flags' parameter '\(reader.uint64(2))'")
            }
            let state = try await service.getImageState(
                .init(image: reader.string(0), extensions: withExtensions ? reader.strings(1) : nil)
            ).state
            return [.string(Self.stateName(state))]
        case "AttachImage", "AttachImageWithExtensions", "ReattachImage", "ReattachImageWithExtensions":
            return try await attach(member, reader)
        case "DetachImage", "DetachImageWithExtensions":
            let withExtensions = member.hasSuffix("WithExtensions")
            let flags = withExtensions ? try Self.flags(reader.uint64(2)) : (reader.bool(1) ? Flags.runtime : 0)
            try await authorize("DetachImage")
            let image = try Self.checkedImage(reader.string(0))
            do {
                let reply = try await service.detachImage(
                    .init(
                        image: image,
                        extensions: withExtensions ? reader.strings(1) : nil,
                        runtime: flags & Flags.runtime != 0,
                        force: flags & Flags.forceAttach != 0,
                        noReload: true
                    )
                )
                return [Self.changeList(reply.changes)]
            } catch {
                throw PortableBusError.from(error, detaching: true)
            }
        case "RemoveImage":
            try await authorize("RemoveImage")
            _ = try await service.removeImage(.init(image: try Self.checkedImage(reader.string(0))))
            return []
        case "MarkImageReadOnly":
            try await authorize("SetImageReadOnly")
            let image = try Self.checkedImage(reader.string(0))
            do {
                _ = try await service.setImageReadOnly(.init(image: image, readOnly: reader.bool(1)))
            } catch let error as SystemCallError {
                // portabled replies with image_read_only's errno as it is (ELOOP for a linked directory).
                throw PortableBusError(errno: error.errno, error.message)
            }
            return []
        case "SetImageLimit":
            let limit = try Self.limit(reader.uint64(1))
            try await authorize("SetImageLimit")
            let image = try Self.checkedImage(reader.string(0))
            _ = try await service.getImage(.init(image: image))
            do {
                _ = try await service.setImageLimit(.init(image: image, limit: limit))
            } catch let error as SystemCallError {
                // portabled replies with image_set_limit's errno as it is (EOPNOTSUPP off subvolumes,
                // ENOTCONN without btrfs quota).
                throw PortableBusError(errno: error.errno, error.message)
            }
            return []
        case "SetPoolLimit":
            let limit = try Self.limit(reader.uint64(0))
            try await authorize("SetPoolLimit")
            do {
                _ = try await service.setPoolLimit(.init(limit: limit))
            } catch let error as SystemCallError {
                throw PortableBusError(errno: error.errno, "Failed to adjust quota limit: \(error.message)")
            }
            return []
        default:
            throw PortableBusError("org.freedesktop.DBus.Error.UnknownMethod", "Unknown method \(member).")
        }
    }

    /// AttachImage and ReattachImage, with or without extensions: the copy mode and flags checked as
    /// portabled checks them. portablectl reloads, enables and starts itself, so the service must not.
    private func attach(_ member: String, _ reader: ArgumentReader) async throws -> [BusValue] {
        let withExtensions = member.hasSuffix("WithExtensions")
        let extensions = withExtensions ? reader.strings(1) : []
        let matches = reader.strings(withExtensions ? 2 : 1)
        let profile = reader.string(withExtensions ? 3 : 2)
        let copyMode = try Self.copyMode(reader.string(4))
        let flags = withExtensions ? try Self.flags(reader.uint64(5)) : (reader.bool(3) ? Flags.runtime : 0)
        try await authorize(member.hasPrefix("Reattach") ? "ReattachImage" : "AttachImage")
        let image = try Self.checkedImage(reader.string(0))
        let runtime = flags & Flags.runtime != 0
        let force = flags & (Flags.forceAttach | Flags.forceExtension) != 0
        if member.hasPrefix("Reattach") {
            let reply = try await service.reattachImage(
                .init(
                    image: image,
                    extensions: extensions,
                    matches: matches,
                    profile: profile,
                    copyMode: copyMode,
                    runtime: runtime,
                    force: force,
                    noReload: true
                )
            )
            return [Self.changeList(reply.removed), Self.changeList(reply.updated)]
        }
        let reply = try await service.attachImage(
            .init(
                image: image,
                extensions: extensions,
                matches: matches,
                profile: profile,
                copyMode: copyMode,
                runtime: runtime,
                force: force,
                noReload: true
            )
        )
        return [Self.changeList(reply.changes)]
    }

    /// polkit before the image argument is looked at, as portabled asks it (bus_image_acquire); the
    /// service then finds the action granted for this call and does not ask again.
    private func authorize(_ method: String) async throws {
        try await service.authorize(method, interactive: nil)
    }

    private func inspect(
        _ image: String,
        extensions: [String],
        matches: [String],
        force: Bool
    ) async throws -> Portable.ImageMetadata {
        try await service.inspectImage(
            Self.inspectParameters(image, extensions: extensions, matches: matches, force: force)
        ).metadata
    }

    /// `inspect` with the root's os-release as read, parsable or not.
    private func inspectUnparsed(
        _ image: String,
        extensions: [String],
        matches: [String],
        force: Bool
    ) async throws -> (Portable.ImageMetadata, [UInt8]) {
        let (reply, osRelease) = try await service.inspectImageUnparsed(
            Self.inspectParameters(image, extensions: extensions, matches: matches, force: force)
        )
        return (reply.metadata, osRelease)
    }

    private static func inspectParameters(
        _ image: String,
        extensions: [String],
        matches: [String],
        force: Bool
    ) throws -> Portable.InspectImageParameters {
        // On the bus no matches mean every unit file (portablectl sends its prefix itself, or none
        // for `-`); io.berth.Portable spells that `-`.
        .init(
            image: try checkedImage(image),
            extensions: extensions,
            matches: matches.isEmpty ? ["-"] : matches,
            force: force
        )
    }
}
