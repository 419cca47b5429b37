import DiskImage
package import PortableEngine
package import SystemCalls
import Varlink
import VarlinkJSON

/// Opens raw images through systemd-mountfsd, as portabled 260 does in user scope: a user cannot set
/// up loop devices, so the image's fd goes to mountfsd (`io.systemd.MountFileSystem.MountImage`,
/// SCM_RIGHTS) and a detached read-only mount of its root file system comes back as an fd. The engine
/// then reads the image only through that fd, as it reads a directory image.
///
/// mountfsd decides whether the caller may mount the image (polkit: `…mount-image`, and
/// `…mount-untrusted-image` for an image outside the system's image directories without a trusted
/// dm-verity signature), so the engine's own user-scope rule steps aside (`decidesUserScopeTrust`).
/// The mount lives as long as its fd: releasing the image is closing it.
package struct MountfsdImageOpener: RawImageOpener {
    /// mountfsd's socket (systemd's fixed path).
    package static let defaultAddress = "/run/systemd/io.systemd.MountFileSystem"

    package var address: String
    /// Let polkit ask the user (an agent on their terminal) instead of deciding from its rules alone,
    /// for every call (otherwise as each call asks: the Varlink calls' `allowInteractiveAuthentication`).
    package var allowInteractiveAuthentication: Bool
    /// Reads headers for `list` and the verity state (no mount, no loop device: the file itself).
    private let headers = DiskImageOpener()

    package init(address: String = Self.defaultAddress, allowInteractiveAuthentication: Bool = false) {
        self.address = address
        self.allowInteractiveAuthentication = allowInteractiveAuthentication
    }

    package var decidesUserScopeTrust: Bool { true }

    package func openRawImage(
        file: FileDescriptor,
        path: String,
        machinePath: String,
        kind: ImageKind,
        key: ImageKey?,
        allowInteractiveAuthentication interactive: Bool
    ) throws(PortableError) -> RawImageHandle {
        // mountfsd refuses descriptors with flags outside its safe set (O_NONBLOCK among them): pass a
        // plain read-only reopening of the same file.
        let image: FileDescriptor
        do {
            image = try FileDescriptor.currentWorkingDirectory.openat(
                "/proc/self/fd/\(file.rawValue)",
                flags: [.readOnly]
            )
        } catch {
            throw .systemError(operation: "open image", path: machinePath, error: error)
        }
        defer { image.close() }
        let parameters = MountFileSystem.MountImageParameters(
            imageFileDescriptor: 0,
            readOnly: true,
            password: key?.passphraseText,
            allowInteractiveAuthentication: allowInteractiveAuthentication || interactive
        )
        let outcome = Self.call(address: address, parameters: parameters, image: image)
        let reply: VarlinkReplyMessage
        switch outcome {
        case .success(let message): reply = message
        case .failure(let failure): throw MountfsdErrorMapping.engineError(failure, image: path, address: address)
        }
        do {
            return try handle(for: reply, file: file, path: path, machinePath: machinePath)
        } catch {
            for descriptor in reply.fileDescriptors { descriptor.close() }
            throw error
        }
    }

    package func probeRawImage(file: FileDescriptor, path: String, machinePath: String) -> DiskDetails? {
        headers.probeRawImage(file: file, path: path, machinePath: machinePath)
    }

    /// The root file system's mount fd from the reply (the others are closed): the root partition, or
    /// the only file system of an image without a partition table.
    private func handle(
        for reply: VarlinkReplyMessage,
        file: FileDescriptor,
        path: String,
        machinePath: String
    ) throws(PortableError) -> RawImageHandle {
        let partitions: [MountfsdPartition]
        do { partitions = try MountfsdPartition.partitions(in: reply.parameters) } catch {
            throw .badImage(image: path, reason: "systemd-mountfsd sent a reply Berth cannot read: \(error)", file: nil)
        }
        guard let root = partitions.first(where: { $0.info.designator == "root" }) else {
            let found = partitions.map(\.info.designator).joined(separator: ", ")
            throw .badImage(
                image: path,
                portabled: "No suitable root partition found in image '\(path)'.",
                detail: "systemd-mountfsd mounted \(found.isEmpty ? "no partition" : found); Berth reads "
                    + "user-scope raw images from their root partition only.",
                file: nil
            )
        }
        let mountIndex = root.info.mountFileDescriptor
        guard mountIndex >= 0, mountIndex < reply.fileDescriptors.count else {
            throw .badImage(
                image: path,
                reason: "systemd-mountfsd's reply names mount fd \(mountIndex) but carried "
                    + "\(reply.fileDescriptors.count)",
                file: nil
            )
        }
        let probed = headers.probeHeaders(file: file, path: path, machinePath: machinePath)
        let policy = try Self.pinnedPolicy(root, headers: probed, image: path)
        let rootDirectory = reply.fileDescriptors[mountIndex]
        for (index, descriptor) in reply.fileDescriptors.enumerated() where index != mountIndex {
            descriptor.close()
        }
        let disk = DiskDetails(
            partitionTable: root.info.partitionNumber == nil ? "none" : "gpt",
            fileSystem: root.info.fileSystemType,
            // mountfsd checked the hash tree (and the signature, when its policy asks for one).
            verity: probed.map { $0.signed ? .signed : $0.verityPresent ? .verified : .none } ?? .none,
            encryption: probed?.encrypted == true ? .luks2 : .none
        )
        return RawImageHandle(rootDirectory: rootDirectory, pinnedPolicy: policy.text, disk: disk, release: {})
    }

    /// `RootImagePolicy=` pinning what mountfsd mounted, from the same facts and function as Berth's
    /// own dissection (`PinnedImagePolicy`), so an image is pinned alike in either scope. mountfsd's
    /// reply lists the partitions it mounted only, never a `root-verity` or `root-verity-sig` partition,
    /// so those facts (and the raw GPT flags) come from the image's headers, once they are known to
    /// describe the partition mountfsd mounted. Without readable headers: what the reply says.
    static func pinnedPolicy(
        _ root: MountfsdPartition,
        headers: ImageProbe?,
        image path: String
    ) throws(PortableError) -> PinnedImagePolicy {
        guard let headers else {
            return PinnedImagePolicy(
                designator: .root,
                fileSystem: root.info.fileSystemType,
                partitionFlags: root.info.partitionNumber.map { _ in
                    PinnedImagePolicy.PartitionFlags(
                        readOnly: !root.info.writable,
                        growFileSystem: root.info.growFileSystem
                    )
                }
            )
        }
        guard Self.isSamePartition(root, headers) else {
            let named =
                headers.partition.map { "partition \($0.number) (offset \($0.offset), \($0.size) bytes)" }
                ?? "a file system without partition table"
            throw .badImage(
                image: path,
                reason: "systemd-mountfsd mounted \(root.place) as the root file system, but the image's headers "
                    + "name \(named) (was the image changed while it was being opened?)",
                file: nil
            )
        }
        return headers.pinnedPolicy
    }

    /// Whether the headers' root partition is the one mountfsd mounted: the same number, and the same
    /// offset and size where mountfsd knows them (a bare file system's size it does not).
    static func isSamePartition(_ root: MountfsdPartition, _ headers: ImageProbe) -> Bool {
        guard headers.pinnedPolicy.designator != .usr else { return false }
        guard let partition = headers.partition else { return root.info.partitionNumber == nil }
        return root.info.partitionNumber == partition.number
            && (root.size ?? partition.size) == partition.size
            && (root.offset ?? partition.offset) == partition.offset
    }

    /// One MountImage call on its own connection, blocking the calling (engine) thread: the engine is
    /// synchronous, and mountfsd answers in well under a second unless polkit asks the user.
    static func call(
        address: String,
        parameters: MountFileSystem.MountImageParameters,
        image: FileDescriptor
    ) -> Result<VarlinkReplyMessage, MountfsdFailure> {
        return CurrentThreadExecutor.run { () async -> Result<VarlinkReplyMessage, MountfsdFailure> in
            let client: VarlinkClient
            do throws(VarlinkConnectionError) {
                // Interactive polkit waits for a person: no timeout then, as varlinkctl.
                client = try await VarlinkClient.connect(
                    to: .unixPath(address),
                    timeout: parameters.allowInteractiveAuthentication == true ? nil : .seconds(45)
                )
            } catch {
                return .failure(.connection(error))
            }
            defer { client.close() }
            do {
                let reply = try await client.callReturningDescriptors(
                    "io.systemd.MountFileSystem.MountImage",
                    parameters: parameters.jsonObject,
                    fileDescriptors: [image]
                )
                return .success(reply)
            } catch let error as VarlinkRemoteError {
                return .failure(.remote(error))
            } catch let error as VarlinkConnectionError {
                return .failure(.connection(error))
            } catch {
                return .failure(.other(String(describing: error)))
            }
        }
    }
}
