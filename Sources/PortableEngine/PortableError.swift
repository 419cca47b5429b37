package import SystemCalls

/// Every way an engine operation can fail, shaped like the `io.berth.Portable` errors so the service
/// maps them one to one, and readable as-is for the CLI (`description`).
package enum PortableError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No image of this name in the search path, or the path does not exist.
    case noSuchImage(image: String)
    /// The file is not a directory, subvolume, `.raw` file or block device.
    case badImageType(image: String)
    /// The image cannot be used; `file` is the offending in-image file, if one is to blame.
    case badImage(image: String, reason: String, file: String?)
    /// No unit file matches the prefixes.
    case noMatchingUnitFiles(image: String, matches: [String])
    /// A unit file of this name exists on the host and is not ours.
    case unitExists(unit: String, path: String)
    /// The unit is active.
    case unitActive(unit: String)
    /// Nothing of the image is attached.
    case imageNotAttached(image: String)
    /// The image is attached, so it cannot be removed.
    case imageNotDetached(image: String, state: ImageState)
    /// Another operation holds the image's lock and the caller asked not to wait.
    case imageLocked(image: String)
    /// The image is read-only (vendor image below /usr, immutable, no write permission).
    case imageReadOnly(image: String)
    /// The profile does not exist or its name is invalid.
    case invalidProfile(profile: String, reason: String)
    /// A parameter has an unusable value.
    case invalidArgument(parameter: String, reason: String)
    /// Not possible here (raw images without the DiskImage opener, no btrfs quota, …).
    case notSupported(reason: String)
    /// The image is encrypted and no key was given.
    case keyRequired(image: String)
    /// The key given does not open the image (`reason` never contains key material).
    case unlockFailed(image: String, reason: String)
    /// A host-side file operation failed.
    case systemError(operation: String, path: String, error: SystemCallError)

    package var description: String {
        switch self {
        case .noSuchImage(let image):
            "No image '\(image)' found."
        case .badImageType(let image):
            "Type of image '\(image)' not recognized; supported image types are directories/btrfs subvolumes, "
                + "block devices, and raw disk image files with suffix '.raw'."
        case .badImage(let image, let reason, let file):
            if let file { "Image '\(image)': \(file): \(reason)" } else { "Image '\(image)': \(reason)" }
        case .noMatchingUnitFiles(let image, _):
            "Couldn't find any matching unit files in image '\(image)', refusing."
        case .unitExists(let unit, let path):
            "Unit file '\(unit)' exists on the host already (\(path)), refusing."
        case .unitActive(let unit):
            "Unit '\(unit)' is active, refusing."
        case .imageNotAttached(let image):
            "No unit files associated with '\(image)' found attached to the system. Image not attached?"
        case .imageNotDetached(let image, let state):
            "Image '\(image)' is not detached (\(state.rawValue)), refusing."
        case .imageLocked(let image):
            "Image '\(image)' is locked by another operation."
        case .imageReadOnly(let image):
            "Image '\(image)' is read-only."
        case .invalidProfile(let profile, let reason):
            reason.hasPrefix("does not exist") ? "Profile '\(profile)' \(reason)" : "Profile '\(profile)': \(reason)"
        case .invalidArgument(let parameter, let reason):
            "Invalid \(parameter): \(reason)"
        case .notSupported(let reason):
            reason
        case .keyRequired(let image):
            "Image '\(image)' is encrypted; give its passphrase or key file (berthctl --key-file=PATH)."
        case .unlockFailed(let image, let reason):
            "Cannot unlock image '\(image)': \(reason)"
        case .systemError(let operation, let path, let error):
            "Failed to \(operation) '\(path)': \(error.message)"
        }
    }
}

extension PortableError {
    /// A `.badImage` whose reason starts with the line portabled gives for this failure (often only an
    /// errno's text, as portablectl prints it) and carries Berth's explanation on the next line: clients
    /// print the first line in portablectl's place and the rest as the hint.
    package static func badImage(image: String, portabled: String, detail: String, file: String?) -> PortableError {
        .badImage(image: image, reason: portabled + "\n" + detail, file: file)
    }

    /// portabled's text for a failure it only reports as an errno (`EBADMSG` → "Bad message").
    package static func errnoText(_ code: Int32) -> String {
        SystemCallError(call: "", errno: code).message
    }
}
