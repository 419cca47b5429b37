internal import Cryptsetup
internal import SystemCalls

#if canImport(Glibc)
import Glibc
#endif

/// Unlocks a LUKS2 volume on a loop device.
///
/// The key is always checked against the header first (activation with no name only tests the
/// key slots), so a wrong passphrase is reported as such even on kernels without device-mapper;
/// only then is activation attempted, and a missing `/dev/mapper/control` gives
/// `.deviceMapperUnavailable`.
enum LUKSUnlocker {
    struct Unlocked {
        var mapping: CryptMapping
        var uuid: String?
    }

    static let maximumKeyFileSize = 8 * 1024 * 1024

    static func unlock(device: String, options: RawImageOptions, path: String) throws(DiskImageError) -> Unlocked {
        let crypt: CryptDevice
        do { crypt = try CryptDevice(device: device) } catch {
            throw DiskImageError(path: path, reason: .cryptsetup(error))
        }
        do { try crypt.loadLUKS2() } catch {
            throw DiskImageError(path: path, reason: .invalidEncryptionHeader(error.detail ?? error.description))
        }
        let uuid = crypt.uuid

        let key = try key(options: options, path: path)
        guard key != nil || options.useTokens else { throw DiskImageError(path: path, reason: .encryptedNeedsKey) }
        defer { key?.wipe() }
        do {
            if let key {
                try crypt.unlock(passphrase: key)
            } else {
                try crypt.unlockWithToken()
            }
        } catch {
            throw mapFailure(error, path: path)
        }

        guard isDeviceMapperAvailable else { throw DiskImageError(path: path, reason: .deviceMapperUnavailable) }
        let name = "berth-" + hexString((0..<8).map { _ in UInt8.random(in: 0...255) })
        do {
            if let key {
                try crypt.unlock(passphrase: key, activatingAs: name)
            } else {
                try crypt.unlockWithToken(activatingAs: name)
            }
        } catch {
            throw mapFailure(error, path: path)
        }
        return Unlocked(mapping: CryptMapping(name: name, device: crypt), uuid: uuid)
    }

    static var isDeviceMapperAvailable: Bool {
        (try? FileDescriptor.currentWorkingDirectory.status(of: "/dev/mapper/control", followSymlinks: true))?.kind
            == .characterDevice
    }

    /// The passphrase, or the key file's contents (a regular file, size-capped), or the key read from
    /// an AF_UNIX socket when the key file path is a socket.
    static func key(options: RawImageOptions, path: String) throws(DiskImageError) -> SecretBytes? {
        if let passphrase = options.passphrase { return passphrase }
        guard let keyFile = options.keyFile else { return nil }
        let cwd = FileDescriptor.currentWorkingDirectory
        do throws(SystemCallError) {
            let status = try cwd.status(of: keyFile, followSymlinks: true)
            if status.kind == .socket {
                let volume = String(path.split(separator: "/").last ?? "image")
                return try KeySocket.readKey(socketPath: keyFile, volume: volume)
            }
            guard status.kind == .regular else {
                throw SystemCallError(call: "open", errno: EINVAL, detail: "\(keyFile) is not a regular file")
            }
            let file = try cwd.openat(keyFile, flags: [.readOnly, .nonBlocking, .noControllingTerminal])
            defer { file.close() }
            return SecretBytes(try file.readAll(limit: maximumKeyFileSize))
        } catch {
            throw DiskImageError(path: path, reason: .io(error))
        }
    }

    static func mapFailure(_ failure: LUKSUnlockFailure, path: String) -> DiskImageError {
        switch failure {
        case .wrongKey: DiskImageError(path: path, reason: .wrongKey)
        case .noUsableToken, .tokenNeedsInteraction: DiskImageError(path: path, reason: .encryptedNeedsKey)
        case .failed(let error) where error.errno == ENODEV || error.errno == ENOTSUP:
            DiskImageError(path: path, reason: .deviceMapperUnavailable)
        case .failed(let error): DiskImageError(path: path, reason: .cryptsetup(error))
        }
    }

    /// The file system inside an activated mapping, by superblock.
    static func identifyFileSystem(of device: String, path: String) throws(DiskImageError) -> FileSystemKind {
        let content: ContentProbe.Content?
        do throws(SystemCallError) {
            let file = try FileDescriptor.currentWorkingDirectory.openat(
                device,
                flags: [.readOnly, .noControllingTerminal]
            )
            defer { file.close() }
            content = ContentProbe.identify(
                FileByteReader(descriptor: file, size: try BlockDevice.size(file), path: path)
            )
        } catch {
            throw DiskImageError(path: path, reason: .io(error))
        }
        guard case .fileSystem(let kind) = content else {
            throw DiskImageError(
                path: path,
                reason: .unsupportedFileSystem("the LUKS2 volume holds no recognised file system")
            )
        }
        return kind
    }
}
