import DiskImage
public import SystemCalls

/// Opens raw images through the DiskImage module: loop device, verity check, detached read-only mount.
/// The engine then reads the image only through the returned root directory fd.
public struct DiskImageOpener: RawImageOpener {
    /// Refuse raw images without dm-verity data.
    public var requireVerity: Bool

    public init(requireVerity: Bool = false) {
        self.requireVerity = requireVerity
    }

    public func openRawImage(
        file: FileDescriptor,
        path: String,
        machinePath: String,
        kind: ImageKind
    )
        throws(PortableError) -> RawImageHandle
    {
        var options = RawImageOptions()
        options.requireVerity = requireVerity
        let image: OpenedImage
        do {
            image = try RawImage.open(machinePath, options: options)
        } catch {
            if case .badImageType = error.reason { throw .badImageType(image: path) }
            if case .encryptedNeedsKey = error.reason {
                throw .notSupported(
                    reason: "Image '\(path)' is encrypted; unlocking is not supported by the engine yet."
                )
            }
            throw .badImage(image: path, reason: error.description, file: nil)
        }
        guard let root = image.rootDirectory, let descriptor = try? root.duplicate() else {
            image.close()
            throw .badImage(image: path, reason: "the image's root file system could not be opened", file: nil)
        }
        return RawImageHandle(
            rootDirectory: descriptor,
            pinnedPolicy: image.summary.pinnedImagePolicy,
            release: { image.close() }
        )
    }
}
