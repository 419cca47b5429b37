import SystemCalls

#if canImport(Glibc)
import Glibc
#endif

/// `NAME.portable` arguments: every operation that takes an image takes a descriptor's absolute path
/// too, and works on what it describes. Expanded here, at the engine's entry points, so berthd, the
/// in-process `--root` service and the D-Bus front door all treat it as one service (no IDL change:
/// the image parameter carries it).
///
/// Values given with the request win over the descriptor's (a non-empty extension or prefix list, a
/// profile other than `default`, a copy mode other than `auto`); `Runtime=yes` or the request's flag
/// puts the service below /run.
extension PortableEngine {
    /// The descriptor at `path` (inside the tree), parsed.
    package func descriptor(at path: String) throws(PortableError) -> PortableDescriptor {
        guard PortableNames.isNormalizedAbsolutePath(path) else {
            throw .invalidArgument(
                parameter: "image",
                reason: "Descriptor path '\(path)' is not a normalized absolute path."
            )
        }
        // Read by berthd as root for any caller of the open methods (InspectImage, GetImageState): the file
        // itself must be a regular file, not a symlink, so only real *.portable files are ever read.
        let bytes: [UInt8]?
        do {
            let fd = try tree.open(path, flags: [.readOnly, .nonBlocking, .noFollow, .noControllingTerminal])
            defer { fd.close() }
            bytes = try fd.status().kind == .regular ? fd.readAll(limit: PortableDescriptor.sizeLimit) : nil
        } catch {
            if error.errno == ENOENT { throw .noSuchImage(image: path) }
            let reason =
                switch error.errno {
                case ELOOP: "is a symbolic link, refusing"
                case EFBIG: "is larger than a descriptor may be (\(PortableDescriptor.sizeLimit / 1024) KiB)"
                default: "cannot be read: \(error.message)"
                }
            throw .invalidArgument(parameter: "image", reason: "\(display(path)): \(reason)")
        }
        guard let bytes else {
            throw .invalidArgument(parameter: "image", reason: "\(display(path)): not a regular file")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .invalidArgument(parameter: "image", reason: "\(display(path)): not UTF-8 text")
        }
        return try PortableDescriptor.parse(text, path: path)
    }

    func expanded(_ request: AttachRequest) throws(PortableError) -> AttachRequest {
        guard PortableDescriptor.isDescriptor(request.image) else { return request }
        let descriptor = try descriptor(at: request.image)
        var result = request
        result.image = descriptor.image
        if result.extensions.isEmpty { result.extensions = descriptor.extensions }
        if result.matches.isEmpty { result.matches = descriptor.prefixes }
        if result.profile == "default", let profile = descriptor.profile { result.profile = profile }
        if result.copyMode == .auto, let mode = descriptor.copyMode { result.copyMode = mode }
        result.runtime = result.runtime || descriptor.runtime == true
        return result
    }

    func expanded(_ request: DetachRequest) throws(PortableError) -> DetachRequest {
        guard PortableDescriptor.isDescriptor(request.image) else { return request }
        let descriptor = try descriptor(at: request.image)
        var result = request
        result.image = descriptor.image
        if result.extensions.isEmpty { result.extensions = descriptor.extensions }
        result.runtime = result.runtime || descriptor.runtime == true
        return result
    }

    func expanded(_ request: InspectRequest) throws(PortableError) -> InspectRequest {
        guard PortableDescriptor.isDescriptor(request.image) else { return request }
        let descriptor = try descriptor(at: request.image)
        var result = request
        result.image = descriptor.image
        if result.extensions.isEmpty { result.extensions = descriptor.extensions }
        if result.matches.isEmpty { result.matches = descriptor.prefixes }
        return result
    }

    /// `state(image:extensions:)`'s arguments for a descriptor (is-attached).
    func expanded(image: String, extensions: [String]) throws(PortableError) -> (String, [String]) {
        guard PortableDescriptor.isDescriptor(image) else { return (image, extensions) }
        let descriptor = try descriptor(at: image)
        return (descriptor.image, extensions.isEmpty ? descriptor.extensions : extensions)
    }
}
