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
        let decoded: MountFileSystem.MountImageReply
        do {
            decoded = try MountFileSystem.MountImageReply(jsonObject: reply.parameters, strict: false)
        } catch {
            throw .badImage(image: path, reason: "systemd-mountfsd sent a reply Berth cannot read: \(error)", file: nil)
        }
        guard let root = decoded.partitions.first(where: { $0.designator == "root" }) else {
            let found = decoded.partitions.map(\.designator).joined(separator: ", ")
            throw .badImage(
                image: path,
                portabled: "No suitable root partition found in image '\(path)'.",
                detail: "systemd-mountfsd mounted \(found.isEmpty ? "no partition" : found); Berth reads "
                    + "user-scope raw images from their root partition only.",
                file: nil
            )
        }
        guard root.mountFileDescriptor >= 0, root.mountFileDescriptor < reply.fileDescriptors.count else {
            throw .badImage(
                image: path,
                reason: "systemd-mountfsd's reply names mount fd \(root.mountFileDescriptor) but carried "
                    + "\(reply.fileDescriptors.count)",
                file: nil
            )
        }
        let rootDirectory = reply.fileDescriptors[root.mountFileDescriptor]
        for (index, descriptor) in reply.fileDescriptors.enumerated() where index != root.mountFileDescriptor {
            descriptor.close()
        }
        let probed = probeRawImage(file: file, path: path, machinePath: machinePath)
        let disk = DiskDetails(
            partitionTable: root.partitionNumber == nil ? "none" : "gpt",
            fileSystem: root.fileSystemType,
            verity: probed.map { $0.verity == .signed ? .signed : $0.verity == .present ? .verified : .none } ?? .none,
            encryption: probed?.encryption ?? .none
        )
        return RawImageHandle(
            rootDirectory: rootDirectory,
            pinnedPolicy: Self.pinnedPolicy(root, disk: disk),
            disk: disk,
            release: {}
        )
    }

    /// `RootImagePolicy=` pinning what mountfsd mounted, in portabled 262's form (see DiskImage's
    /// `ImageSummary.pinnedImagePolicy`, which derives the same from Berth's own dissection).
    static func pinnedPolicy(_ root: MountFileSystem.PartitionInfo, disk: DiskDetails) -> String {
        var flags: [String] = []
        switch disk.verity {
        case .signed: flags.append(disk.partitionTable == "gpt" ? "verity" : "signed")
        case .verified, .present: flags.append("verity")
        case .none: break
        }
        if root.partitionNumber != nil {
            // The mounted view: a read-only-by-design file system or verity makes the partition read-only.
            let writable =
                root.writable && !["squashfs", "erofs"].contains(root.fileSystemType) && disk.verity == .none
            flags.append(writable ? "read-only-off" : "read-only-on")
            flags.append(root.growFileSystem && writable ? "growfs-on" : "growfs-off")
        }
        flags.append(root.fileSystemType)
        return "root=" + flags.joined(separator: "+") + ":=absent"
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
