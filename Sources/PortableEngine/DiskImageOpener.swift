package import DiskImage
package import SystemCalls

#if canImport(Glibc)
import Glibc
#endif

/// Opens raw images through the DiskImage module: loop device, verity check, LUKS2 unlock, detached
/// read-only mount. The engine then reads the image only through the returned root directory fd.
package struct DiskImageOpener: RawImageOpener {
    /// Refuse raw images without dm-verity data.
    package var requireVerity: Bool
    /// The tree whose verity.d directories hold the certificates for root hash signatures (the
    /// engine's `--root`); symlinks in them resolve inside it.
    package var verityKeyRoot: String

    package init(requireVerity: Bool = false, verityKeyRoot: String = "/") {
        self.requireVerity = requireVerity
        self.verityKeyRoot = verityKeyRoot
    }

    package func openRawImage(
        file: FileDescriptor,
        path: String,
        machinePath: String,
        kind: ImageKind,
        key: ImageKey?,
        allowInteractiveAuthentication: Bool
    )
        throws(PortableError) -> RawImageHandle
    {
        var options = RawImageOptions()
        options.requireVerity = requireVerity
        options.passphrase = key?.secret
        options.verityKeyRoot = verityKeyRoot
        let image: OpenedImage
        do {
            // The engine's fd (resolved inside the tree) is what gets opened; sidecars sit next to it.
            image = try RawImage.open(file: file, path: path, sidecarPath: machinePath, options: options)
        } catch {
            throw Self.engineError(error, image: path)
        }
        guard let root = image.rootDirectory, let descriptor = try? root.duplicate() else {
            image.close()
            throw .badImage(image: path, reason: "the image's root file system could not be opened", file: nil)
        }
        return RawImageHandle(
            rootDirectory: descriptor,
            pinnedPolicy: image.summary.pinnedImagePolicy,
            disk: Self.details(image.summary),
            release: { image.close() }
        )
    }

    package func probeRawImage(file: FileDescriptor, path: String, machinePath: String) -> DiskDetails? {
        guard let probe = probeHeaders(file: file, path: path, machinePath: machinePath) else { return nil }
        return DiskDetails(
            partitionTable: probe.layout == .gpt ? "gpt" : "none",
            fileSystem: probe.fileSystem?.rawValue ?? "unknown",
            verity: probe.signed ? .signed : probe.verityPresent ? .present : .none,
            encryption: probe.encrypted ? .luks2 : .none
        )
    }

    /// What the image's headers say (GPT, superblocks, verity sidecars and partitions); nil if unreadable.
    package func probeHeaders(file: FileDescriptor, path: String, machinePath: String) -> ImageProbe? {
        var options = RawImageOptions()
        options.verityKeyRoot = verityKeyRoot
        return try? RawImage.probe(file: file, path: path, sidecarPath: machinePath, options: options)
    }

    static func details(_ summary: DiskImage.ImageSummary) -> DiskDetails {
        let verity: DiskDetails.Verity
        if let checked = summary.verity {
            verity = checked.signed ? .signed : .verified
        } else {
            verity = .none
        }
        let encryption: DiskDetails.Encryption
        if case .luks2 = summary.encryption { encryption = .luks2 } else { encryption = .none }
        return DiskDetails(
            partitionTable: summary.layout == .gpt ? "gpt" : "none",
            fileSystem: summary.fileSystem.rawValue,
            verity: verity,
            encryption: encryption
        )
    }

    /// The engine's error for a DiskImage failure: key problems get their own wire errors.
    static func engineError(_ error: DiskImageError, image path: String) -> PortableError {
        switch error.reason {
        case .badImageType: .badImageType(image: path)
        case .unknownFormat:
            .badImage(
                image: path,
                reason: "Couldn't identify a suitable partition table or file system in '\(path)'.",
                file: nil
            )
        // portabled's dissection cannot tell these from an unknown format; Berth says what it found.
        case .truncated, .corruptPartitionTable, .invalidPartition:
            .badImage(
                image: path,
                portabled: "Couldn't identify a suitable partition table or file system in '\(path)'.",
                detail: error.description,
                file: nil
            )
        // A partition without a file system it can mount: portabled fails with EAFNOSUPPORT.
        case .unsupportedFileSystem:
            .badImage(
                image: path,
                portabled: PortableError.errnoText(EAFNOSUPPORT),
                detail: error.description,
                file: nil
            )
        case .encryptedNeedsKey: .keyRequired(image: path)
        case .wrongKey: .unlockFailed(image: path, reason: "no key slot accepts the passphrase or key given")
        case .deviceMapperUnavailable:
            .notSupported(
                reason: "Image '\(path)' is encrypted and the key is correct, but it cannot be activated: "
                    + "device-mapper is not available on this kernel (dm-crypt needs it)."
            )
        default: .badImage(image: path, reason: error.description, file: nil)
        }
    }
}
