package import SystemCalls

#if canImport(Glibc)
import Glibc
#endif

/// Opens raw disk images (GPT/DPS or a bare squashfs/erofs/ext4/btrfs; verity; LUKS2) read-only
/// without attaching anything to any mount namespace.
///
/// Order of operations, so nothing from the image is trusted before it is checked:
/// 1. `stat` the path and refuse anything but a regular file or block device *before* opening it
///    (opening a FIFO would block, opening a device node can have side effects); then open with
///    `O_NONBLOCK` and re-check that the fd is the same inode.
/// 2. Parse the GPT / superblock magic in userspace with bounds checks (`ImageDissector`).
/// 3. Attach only the chosen region to a read-only autoclear loop device.
/// 4. If a root hash is known, verify all data against the hash tree with libcryptsetup (or hit the
///    cache for an identical, already verified file).
/// 5. Unlock LUKS2 if present; mount read-only as a detached mount and open its root.
package enum RawImage {
    package static func open(
        _ path: String,
        options: RawImageOptions = RawImageOptions()
    ) throws(DiskImageError) -> OpenedImage {
        let (file, status) = try openImageFile(path)
        defer { file.close() }
        return try open(readable: file, status: status, path: path, sidecarStem: path, options: options)
    }

    /// Opens an image the caller already holds an fd for (any open mode, `O_PATH` included), e.g. one
    /// the engine resolved inside a `--root` tree. The fd is only borrowed: it is re-opened read-only
    /// through `/proc/self/fd` (same inode checked), and the caller keeps and closes its own.
    /// `path` names the image in messages; sidecars (`.roothash`, `.verity`, …) are looked up next to
    /// `sidecarPath` (default: `path`), which must be a path valid on this machine.
    package static func open(
        file: FileDescriptor,
        path: String,
        sidecarPath: String? = nil,
        options: RawImageOptions = RawImageOptions()
    ) throws(DiskImageError) -> OpenedImage {
        let (readable, status) = try reopenForReading(file, path: path)
        defer { readable.close() }
        return try open(
            readable: readable,
            status: status,
            path: path,
            sidecarStem: sidecarPath ?? path,
            options: options
        )
    }

    /// The byte size of an image: the device size for block devices, `st_size` for files.
    static func imageSize(_ file: FileDescriptor, status: FileStatus, path: String) throws(DiskImageError) -> UInt64 {
        guard status.kind == .blockDevice else { return UInt64(max(0, status.size)) }
        do { return try BlockDevice.size(file) } catch { throw DiskImageError(path: path, reason: .io(error)) }
    }

    /// Re-opens a borrowed fd (any mode, `O_PATH` included) read-only through `/proc/self/fd`, checking
    /// it is still the same inode and a regular file or block device. The caller closes the result.
    static func reopenForReading(
        _ file: FileDescriptor,
        path: String
    ) throws(DiskImageError) -> (
        FileDescriptor, FileStatus
    ) {
        let before: FileStatus
        do { before = try file.status() } catch { throw DiskImageError(path: path, reason: .io(error)) }
        try requireImageKind(before, path: path)
        do {
            return try file.reopenForReading(expecting: before)
        } catch  where error.errno == ESTALE {
            throw DiskImageError(path: path, reason: .badImageType("file that changed while being opened"))
        } catch {
            throw DiskImageError(path: path, reason: .io(error))
        }
    }

    /// The common path: `file` is open for reading and known to be a regular file or block device.
    static func open(
        readable file: FileDescriptor,
        status: FileStatus,
        path: String,
        sidecarStem: String,
        options: RawImageOptions
    ) throws(DiskImageError) -> OpenedImage {
        let kind: ImageSummary.ImageKind = status.kind == .blockDevice ? .block : .raw
        let size = try imageSize(file, status: status, path: path)
        let reader = FileByteReader(descriptor: file, size: size, path: path)
        let sidecars = options.useVeritySidecars ? try VeritySidecars.load(for: sidecarStem) : VeritySidecars()
        let dissection = try ImageDissector.dissect(
            reader,
            path: path,
            sidecars: sidecars,
            explicitRootHash: options.rootHash,
            architectures: options.architectures
        )
        if options.requireVerity, dissection.verity == nil {
            throw DiskImageError(path: path, reason: .verityDataMissing)
        }

        let loop = try LoopAttachment(backing: file, offset: dissection.offset, size: dissection.size, imagePath: path)
        do throws(DiskImageError) {
            var verity: ImageSummary.Verity?
            if let plan = dissection.verity {
                verity = try verify(
                    plan,
                    loop: loop,
                    backing: file,
                    identity: FileIdentity(status),
                    hashFileIdentity: sidecars.hashTreeIdentity,
                    dissection: dissection,
                    options: options,
                    path: path
                )
            }
            var fileSystem: FileSystemKind
            var mapping: CryptMapping?
            var encryption = ImageSummary.Encryption.none
            var mountSource = loop.devicePath
            switch dissection.content {
            case .fileSystem(let kind):
                fileSystem = kind
            case .luks:
                let unlocked = try LUKSUnlocker.unlock(device: loop.devicePath, options: options, path: path)
                mapping = unlocked.mapping
                encryption = .luks2(uuid: unlocked.uuid)
                mountSource = unlocked.mapping.devicePath
                fileSystem = try LUKSUnlocker.identifyFileSystem(of: mountSource, path: path)
            }
            var mount: DetachedMount
            do throws(DiskImageError) {
                mount = try DetachedMount(device: mountSource, fileSystem: fileSystem, imagePath: path)
                if dissection.designator == .usr {
                    let usr = mount
                    do { mount = try DetachedMount.usrOnlyRoot(usr: usr, imagePath: path) } catch {
                        usr.close()
                        throw error
                    }
                }
            } catch {
                mapping?.deactivate()
                throw error
            }
            let summary = ImageSummary(
                path: path,
                kind: kind,
                layout: dissection.partitionTable == nil ? .fileSystem : .gpt,
                size: size,
                fileSystem: fileSystem,
                partitionTable: dissection.partitionTable,
                rootPartition: dissection.rootPartition,
                mountedDesignator: dissection.designator,
                verity: verity,
                encryption: encryption,
                unverifiableRootHash: dissection.unverifiableRootHash,
                usrHashPresent: sidecars.usrHash != nil
            )
            return OpenedImage(summary: summary, mount: mount, loop: loop, mapping: mapping)
        } catch {
            loop.close()
            throw error
        }
    }

    /// Refuses non-regular, non-block paths without opening them, then opens and re-checks.
    static func openImageFile(_ path: String) throws(DiskImageError) -> (FileDescriptor, FileStatus) {
        let cwd = FileDescriptor.currentWorkingDirectory
        let before: FileStatus
        do { before = try cwd.status(of: path, followSymlinks: true) } catch {
            throw DiskImageError(path: path, reason: .io(error))
        }
        try requireImageKind(before, path: path)
        let file: FileDescriptor
        do { file = try cwd.openat(path, flags: [.readOnly, .nonBlocking, .noControllingTerminal]) } catch {
            throw DiskImageError(path: path, reason: .io(error))
        }
        let after: FileStatus
        do { after = try file.status() } catch {
            file.close()
            throw DiskImageError(path: path, reason: .io(error))
        }
        guard after.device == before.device, after.inode == before.inode, after.kind == before.kind else {
            file.close()
            throw DiskImageError(path: path, reason: .badImageType("file that changed while being opened"))
        }
        return (file, after)
    }

    static func requireImageKind(_ status: FileStatus, path: String) throws(DiskImageError) {
        switch status.kind {
        case .regular, .blockDevice: return
        case .fifo: throw DiskImageError(path: path, reason: .badImageType("FIFO"))
        case .characterDevice: throw DiskImageError(path: path, reason: .badImageType("character device"))
        case .socket: throw DiskImageError(path: path, reason: .badImageType("socket"))
        case .directory: throw DiskImageError(path: path, reason: .badImageType("directory"))
        case .symbolicLink, .unknown: throw DiskImageError(path: path, reason: .badImageType("special file"))
        }
    }
}
