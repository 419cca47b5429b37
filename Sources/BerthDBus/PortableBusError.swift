import BerthClient
import SystemCalls

#if canImport(Glibc)
import Glibc
#endif

/// A D-Bus error reply as systemd-portabled sends it: the error name and the message portablectl
/// prints after "Failed to …: ".
package struct PortableBusError: Error, Sendable, Equatable {
    package enum Name: Sendable, Equatable {
        /// A named D-Bus error.
        case named(String)
        /// `System.Error.E…`, as sd-bus names an errno.
        case errno(Int32)
    }

    package let name: Name
    package let message: String

    package init(_ name: String, _ message: String) {
        self.name = .named(name)
        self.message = message
    }

    package init(errno code: Int32, _ message: String) {
        self.name = .errno(code)
        self.message = message
    }

    package static func invalidArgs(_ message: String) -> PortableBusError {
        PortableBusError("org.freedesktop.DBus.Error.InvalidArgs", message)
    }

    /// What the service's failure becomes on the bus; `operation` tells attach from detach where
    /// portabled words the same condition differently.
    package static func from(_ error: any Error, detaching: Bool = false) -> PortableBusError {
        switch error {
        case let error as PortableBusError:
            return error
        case let error as Portable.Error:
            return from(error, detaching: detaching)
        case let error as SystemCallError:
            return PortableBusError(errno: error.errno, "\(error)")
        default:
            return PortableBusError("org.freedesktop.DBus.Error.Failed", "\(error)")
        }
    }

    /// A bad image: portabled names most reasons InvalidArgs, but returns a bare errno where it only
    /// has one (its text is the reason's first line: sd-bus then names the errno, e.g. ENOMEDIUM →
    /// System.Error.ENOMEDIUM, ENOENT → FileNotFound) and ESTALE for a release file that does not fit.
    static func badImage(_ image: String, reason: String) -> PortableBusError {
        let firstLine = String(reason.prefix { $0 != "\n" })
        if staleReleases.contains(firstLine) { return PortableBusError(errno: ESTALE, "Image \(image) \(firstLine)") }
        let bareErrno = (1...133).first { code in
            code != EINVAL && SystemCallError(call: "", errno: Int32(code)).message == firstLine
        }
        if let bareErrno { return PortableBusError(errno: Int32(bareErrno), "") }
        // portabled's sentence where it has one; else Berth's first line (the second is a hint).
        return invalidArgs(Portable.Error.portabledBadImageLine(image: image, reason: reason) ?? firstLine)
    }

    /// The engine's words for what portabled refuses with ESTALE ("Image PATH " + these).
    static let staleReleases: Set<String> = [
        "extension-release metadata does not match the root's", "os-release metadata lacks the ID field",
    ]

    private static func from(_ error: Portable.Error, detaching: Bool) -> PortableBusError {
        switch error {
        case .noSuchImage(let image):
            return PortableBusError("org.freedesktop.portable1.NoSuchImage", "No image '\(image)' found.")
        case .badImageType(let image):
            return PortableBusError(
                "org.freedesktop.portable1.BadImageType",
                "Type of image '\(image)' not recognized; supported image types are directories/btrfs subvolumes, "
                    + "block devices, and raw disk image files with suffix '.raw'."
            )
        case .badImage(let image, let reason, _):
            return badImage(image, reason: reason)
        case .noMatchingUnitFiles(let image, _):
            return PortableBusError(
                "org.freedesktop.portable1.NoMatchingUnitFiles",
                "Couldn't find any matching unit files in image '\(image)', refusing."
            )
        case .unitExists(let unit, _):
            return PortableBusError(
                "org.freedesktop.systemd1.UnitExists",
                "Unit file '\(unit)' exists on the host already, refusing."
            )
        case .unitActive(let unit):
            return PortableBusError(
                "org.freedesktop.systemd1.UnitExists",
                detaching
                    ? "Unit file '\(unit)' is active, can't detach."
                    : "Unit file '\(unit)' is active already, refusing."
            )
        case .imageNotAttached(let image):
            return PortableBusError(
                "org.freedesktop.systemd1.NoSuchUnit",
                "No unit files associated with '\(image)' found attached to the system. Image not attached?"
            )
        case .imageNotDetached(let image, _):
            return PortableBusError(errno: EBUSY, "Image '\(image)' is not detached, refusing.")
        case .imageInUse(let image), .imageLocked(let image):
            return PortableBusError(errno: EBUSY, "Image '\(image)' is in use.")
        case .imageReadOnly(let image):
            return PortableBusError(errno: EROFS, "Image '\(image)' is read-only.")
        case .keyRequired:
            // portabled's dissection fails with EUNATCH when it has no key for a LUKS image (262).
            return PortableBusError(errno: EUNATCH, SystemCallError(call: "", errno: EUNATCH).message)
        case .unlockFailed(let image, let reason):
            return invalidArgs("Failed to unlock image '\(image)': \(reason)")
        case .invalidProfile(let profile, let reason):
            return invalidArgs("Profile '\(profile)': \(reason)")
        case .invalidArgument(_, let reason):
            return invalidArgs(reason)
        case .permissionDenied:
            // polkit's refusal is -EACCES in portabled: sd-bus sends AccessDenied, "Permission denied".
            return PortableBusError(errno: EACCES, "")
        case .interactiveAuthenticationRequired:
            return PortableBusError(
                "org.freedesktop.DBus.Error.InteractiveAuthorizationRequired",
                "Interactive authentication required."
            )
        case .notSupported(let reason):
            return PortableBusError("org.freedesktop.DBus.Error.NotSupported", reason)
        case .tooManyOperations:
            return PortableBusError("org.freedesktop.DBus.Error.LimitsExceeded", "Too many ongoing operations.")
        case .scopeMismatch(let requested, let served):
            return invalidArgs(
                "This service manages the \(served.rawValue) scope, not the \(requested.rawValue) scope."
            )
        }
    }
}
