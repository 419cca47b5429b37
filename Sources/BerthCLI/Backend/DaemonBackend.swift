import BerthClient
import PortableEngine
import SystemCalls
import Varlink
import VarlinkJSON

/// berthd over Varlink, through the generated `Portable.Client`. berthd talks to PID 1
/// (reload, enable, start), so the flags are passed on rather than acted on here.
package struct DaemonBackend: PortableBackend {
    package var address: String

    package init(address: String) {
        self.address = address
    }

    package func listImages() async throws -> [CLIImageSummary] {
        let reply = try await call { try await $0.listImages(Portable.ListImagesParameters()) }
        return reply.images.map(Self.summary)
    }

    package func inspect(_ request: CLIInspectRequest) async throws -> CLIImageMetadata {
        let reply = try await call {
            try await $0.inspectImage(
                Portable.InspectImageParameters(
                    image: request.image,
                    extensions: request.extensions.isEmpty ? nil : request.extensions,
                    matches: request.matches.isEmpty ? nil : request.matches,
                    force: request.force ? true : nil,
                    unlock: Self.unlock(request.key)
                )
            )
        }
        let metadata = reply.metadata
        return CLIImageMetadata(
            path: metadata.path,
            osRelease: Array(metadata.osRelease.contents.utf8),
            extensions: metadata.extensionReleases.map {
                CLIImageMetadata.File(name: $0.image, contents: Array($0.contents.utf8))
            },
            units: metadata.units.map { CLIImageMetadata.File(name: $0.name, contents: Array($0.contents.utf8)) },
            disk: metadata.disk.map(Self.disk)
        )
    }

    package func state(_ request: CLIStateRequest) async throws -> String {
        let reply = try await call {
            try await $0.getImageState(
                Portable.GetImageStateParameters(
                    image: request.image,
                    extensions: request.extensions.isEmpty ? nil : request.extensions
                )
            )
        }
        return Self.stateText(reply.state)
    }

    package func attach(_ request: CLIAttachRequest) async throws -> CLIOperationResult {
        let reply = try await call {
            try await $0.attachImage(
                Portable.AttachImageParameters(
                    image: request.image,
                    extensions: request.extensions.isEmpty ? nil : request.extensions,
                    matches: request.matches.isEmpty ? nil : request.matches,
                    profile: request.profile,
                    copyMode: Portable.CopyMode(rawValue: request.copyMode),
                    runtime: Self.flag(request.flags.runtime),
                    force: Self.flag(request.force),
                    noReload: Self.flag(request.flags.noReload),
                    enable: Self.flag(request.flags.enable),
                    now: Self.flag(request.flags.now),
                    noBlock: Self.flag(request.flags.noBlock),
                    unlock: Self.unlock(request.key)
                )
            )
        }
        return CLIOperationResult(units: reply.units, changes: reply.changes.map(Self.change))
    }

    package func reattach(_ request: CLIAttachRequest) async throws -> CLIReattachResult {
        let reply = try await call {
            try await $0.reattachImage(
                Portable.ReattachImageParameters(
                    image: request.image,
                    extensions: request.extensions.isEmpty ? nil : request.extensions,
                    matches: request.matches.isEmpty ? nil : request.matches,
                    profile: request.profile,
                    copyMode: Portable.CopyMode(rawValue: request.copyMode),
                    runtime: Self.flag(request.flags.runtime),
                    force: Self.flag(request.force),
                    noReload: Self.flag(request.flags.noReload),
                    enable: Self.flag(request.flags.enable),
                    now: Self.flag(request.flags.now),
                    noBlock: Self.flag(request.flags.noBlock),
                    unlock: Self.unlock(request.key)
                )
            )
        }
        return CLIReattachResult(removed: reply.removed.map(Self.change), updated: reply.updated.map(Self.change))
    }

    package func detach(_ request: CLIDetachRequest) async throws -> CLIOperationResult {
        let reply = try await call {
            try await $0.detachImage(
                Portable.DetachImageParameters(
                    image: request.image,
                    extensions: request.extensions.isEmpty ? nil : request.extensions,
                    runtime: Self.flag(request.flags.runtime),
                    force: Self.flag(request.force),
                    noReload: Self.flag(request.flags.noReload),
                    enable: Self.flag(request.flags.enable),
                    now: Self.flag(request.flags.now),
                    noBlock: Self.flag(request.flags.noBlock)
                )
            )
        }
        return CLIOperationResult(units: reply.units, changes: reply.changes.map(Self.change))
    }

    package func remove(image: String) async throws {
        _ = try await call { try await $0.removeImage(Portable.RemoveImageParameters(image: image)) }
    }

    package func setReadOnly(image: String, readOnly: Bool) async throws {
        _ = try await call {
            try await $0.setImageReadOnly(Portable.SetImageReadOnlyParameters(image: image, readOnly: readOnly))
        }
    }

    package func setLimit(image: String?, limit: UInt64?) async throws {
        let wireLimit = limit.map { Int(clamping: $0) }
        if let image {
            _ = try await call {
                try await $0.setImageLimit(Portable.SetImageLimitParameters(image: image, limit: wireLimit))
            }
        } else {
            _ = try await call { try await $0.setPoolLimit(Portable.SetPoolLimitParameters(limit: wireLimit)) }
        }
    }

    package func profiles() async throws -> [String] {
        try await call { try await $0.listProfiles(Portable.ListProfilesParameters()) }.profiles
    }

    // MARK: - Plumbing

    /// Connects, makes one call, closes; every failure becomes a sentence naming berthd and the address.
    private func call<T: Sendable>(_ body: (Portable.Client) async throws -> T) async throws(CLIError) -> T {
        let connection: VarlinkClient
        do {
            connection = try await VarlinkClient.connect(to: address)
        } catch {
            throw CLIError(
                "Cannot talk to berthd at \(address): \(error)",
                hint: "Is berthd.socket active (systemctl start berthd.socket)? Use --root=DIR to work on a tree "
                    + "without berthd, or --address= for another socket."
            )
        }
        defer { connection.close() }
        do {
            return try await body(Portable.Client(connection))
        } catch {
            throw WireErrorText.cliError(for: error, address: address)
        }
    }

    private static func flag(_ value: Bool) -> Bool? { value ? true : nil }

    /// `attached_runtime` (Varlink enum) → `attached-runtime` (what portablectl prints), byte by byte.
    static func stateText(_ state: Portable.ImageState) -> String {
        String(decoding: state.rawValue.utf8.map { $0 == UInt8(ascii: "_") ? UInt8(ascii: "-") : $0 }, as: UTF8.self)
    }

    static func change(_ change: Portable.Change) -> ChangeRecord {
        ChangeRecord(type: change.type.rawValue, path: change.path, source: change.source ?? "")
    }

    static func summary(_ image: Portable.Image) -> CLIImageSummary {
        CLIImageSummary(
            name: image.name,
            type: image.type.rawValue,
            path: image.path,
            readOnly: image.readOnly,
            creationTime: image.creationTimestamp.map { UInt64(clamping: $0) },
            modificationTime: image.modificationTimestamp.map { UInt64(clamping: $0) },
            usage: image.usage.map { UInt64(clamping: $0) },
            state: stateText(image.state),
            disk: image.disk.map(disk)
        )
    }

    static func disk(_ disk: Portable.DiskInfo) -> DiskDetails {
        DiskDetails(
            partitionTable: disk.partitionTable,
            fileSystem: disk.fileSystem,
            verity: DiskDetails.Verity(rawValue: disk.verity.rawValue) ?? .none,
            encryption: DiskDetails.Encryption(rawValue: disk.encryption.rawValue) ?? .none
        )
    }

    /// Key file contents travel base64-encoded, as the interface says.
    static func unlock(_ key: [UInt8]?) -> Portable.Unlock? {
        key.map { Portable.Unlock(key: Base64.encode($0)) }
    }
}
