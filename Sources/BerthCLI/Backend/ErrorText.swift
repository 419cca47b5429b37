import BerthClient
import SystemCalls
import Varlink
import VarlinkJSON

#if canImport(Glibc)
import Glibc
#endif

/// Every failure of a `Portable.API` call as a CLI message, worded like portablectl's, with what to
/// do next. The in-process service and berthd throw the same `Portable.Error`s, so both paths print
/// the same text; a host failure (`io.systemd.System` from berthd, `SystemCallError` in process) is
/// its errno's text, as portablectl prints it.
enum ErrorText {
    static func cliError(for error: any Error, address: String) -> CLIError {
        switch error {
        case let error as CLIError:
            return error
        case let error as Portable.Error:
            return cliError(for: error)
        case let error as SystemCallError:
            return CLIError(error.message)
        case let error as VarlinkRemoteError:
            if error.serviceError == .permissionDenied {
                return permissionDenied("this operation")
            }
            if error.name == "io.systemd.System", let code = error.parameters["errno"]?.int64Value {
                return CLIError(SystemCallError(call: "", errno: Int32(clamping: code)).message)
            }
            return CLIError("berthd replied with \(error)")
        case let error as VarlinkConnectionError:
            return CLIError(
                "Connection to berthd at \(address) failed: \(error)",
                hint: "Check berthd's log: journalctl -u berthd.service"
            )
        default:
            return CLIError("\(error)")
        }
    }

    /// The errno text of a host failure, in process or from berthd; nil for any other error.
    static func errnoText(_ error: any Error) -> String? {
        if let error = error as? SystemCallError { return error.message }
        if let error = error as? VarlinkRemoteError, error.name == "io.systemd.System",
            let code = error.parameters["errno"]?.int64Value
        {
            return SystemCallError(call: "", errno: Int32(clamping: code)).message
        }
        return nil
    }

    static func cliError(for error: Portable.Error) -> CLIError {
        switch error {
        case .noSuchImage(let image):
            return CLIError(
                "No image '\(image)' found.",
                hint: "Check the name with 'berthctl list', or give the image's absolute path."
            )
        case .badImageType(let image):
            return CLIError(
                "Type of image '\(image)' not recognized; supported image types are directories/btrfs subvolumes, "
                    + "block devices, and raw disk image files with suffix '.raw'."
            )
        case .badImage(let image, let reason, let file):
            return badImage(image, reason: reason, file: file)
        case .noMatchingUnitFiles(let image, let matches):
            return CLIError(
                "Couldn't find any matching unit files in image '\(image)', refusing.",
                hint: "No unit file matched the prefixes \(matches.joined(separator: ", ")): name the unit prefixes "
                    + "after the image, or set PORTABLE_PREFIXES= in the image's os-release."
            )
        case .unitExists(let unit, let path):
            return CLIError(
                "Unit file '\(unit)' exists on the host already, refusing.",
                hint: "It is \(path): detach the other image first, or use --force to replace it."
            )
        case .unitActive(let unit):
            return CLIError(
                "Unit file '\(unit)' is active already, refusing.",
                hint: "Stop it first (or use --now), or --force."
            )
        case .imageNotAttached(let image):
            return CLIError(
                "No unit files associated with '\(image)' found attached to the system. Image not attached?",
                hint: "Give the same extensions (and --runtime) as at attach time."
            )
        case .imageNotDetached(let image, let state):
            return CLIError(
                "Image '\(image)' is not detached, refusing.",
                hint: "It is \(state.text): detach it first."
            )
        case .imageInUse(let image):
            return CLIError("Image '\(image)' is in use.")
        case .imageLocked(let image):
            return CLIError("Image '\(image)' is locked by another operation.", hint: "Try again when it has finished.")
        case .imageReadOnly(let image):
            return CLIError("Image '\(image)' is read-only.")
        case .keyRequired(let image):
            // portabled's dissection fails with EUNATCH when it has no key for a LUKS image.
            return CLIError(
                SystemCallError(call: "", errno: EUNATCH).message,
                hint: "Image '\(image)' is encrypted and no key was given: pass its key file with --key-file=PATH, "
                    + "or a passphrase on stdin with --key-file=-."
            )
        case .unlockFailed(let image, let reason):
            return CLIError("Cannot unlock image '\(image)': \(reason)")
        case .invalidProfile(let profile, let reason):
            let hint = "'berthctl profiles' lists the available profiles."
            // portabled 262's words; 257 attached without a profile (Berth refuses, on purpose).
            guard reason.hasPrefix("does not exist") else {
                return CLIError("Profile '\(profile)': \(reason)", hint: hint)
            }
            return CLIError("Profile '\(profile)' \(reason)", hint: hint)
        case .invalidArgument(let parameter, let reason):
            if reason.hasPrefix("/"), reason.contains(".portable") {
                return CLIError(reason, hint: "See man 5 berth.portable for the descriptor's keys and values.")
            }
            // The reasons are portabled's sentences ("Selected matches … are not compatible …").
            return CLIError(reason, hint: "Invalid parameter '\(parameter)'.")
        case .permissionDenied(let operation):
            return permissionDenied(operation)
        case .interactiveAuthenticationRequired(let operation):
            return CLIError(
                "Interactive authentication required: polkit allows \(operation) only after authenticating.",
                hint: "Run it as root (e.g. with sudo), or from a session with a polkit agent."
            )
        case .notSupported(let reason):
            return CLIError("Not supported: \(reason)")
        case .tooManyOperations:
            return CLIError("Too many ongoing operations.", hint: "Try again in a moment.")
        case .scopeMismatch(let requested, let served):
            return CLIError(
                "This berthd manages the \(served.rawValue) scope, not the \(requested.rawValue) scope, refusing.",
                hint: requested == .user
                    ? "For --user, talk to your own berthd (berthd.socket of your user manager, at "
                        + "$XDG_RUNTIME_DIR/berth/io.berth.Portable)."
                    : "For --system, talk to the system's berthd (/run/berth/io.berth.Portable)."
            )
        }
    }

    /// portablectl's inspect reads the os-release the service hands over itself, so an unparsable one fails
    /// with its own words (`Failed to parse /etc/os-release: Bad message`, 262, lab), whichever file it was.
    static let osReleaseParseFailure = "Failed to parse /etc/os-release: "

    static func inspectFailure(_ error: Portable.Error) -> CLIError {
        let badMessage = SystemCallError(call: "", errno: EBADMSG).message
        guard case .badImage(_, let reason, let file?) = error, file.hasSuffix("/os-release"),
            reason.hasPrefix(badMessage + "\n")
        else { return cliError(for: error) }
        let detail = reason.dropFirst(badMessage.count + 1)
        return CLIError(osReleaseParseFailure + badMessage, hint: "\(detail) Fix \(file) inside the image.")
    }

    /// portabled words an active unit differently when detaching (257 and 262, lab).
    static func activeOnDetach(_ unit: String) -> CLIError {
        CLIError("Unit file '\(unit)' is active, can't detach.", hint: "Stop it first (detach --now), or --force.")
    }

    /// portabled's first line for the cases it has words for (no os-release, no ID, unreadable raw image),
    /// Berth's detail (the file to blame) on the next. A reason of two lines is portabled's line (only
    /// completed with the image's name) and Berth's explanation
    /// (`PortableError.badImage(image:portabled:detail:file:)`).
    private static func badImage(_ image: String, reason: String, file: String?) -> CLIError {
        let fix = file.map { "Fix \($0) inside the image." }
        let lines = reason.split(separator: "\n", maxSplits: 1).map(String.init)
        if lines.count == 2 {
            let hint = [lines[1], fix].compactMap { $0 }.joined(separator: " ")
            let line = Portable.Error.portabledBadImageLine(image: image, reason: lines[0])
            return CLIError(line ?? lines[0], hint: hint)
        }
        if let line = Portable.Error.portabledBadImageLine(image: image, reason: reason) {
            return CLIError(line, hint: fix)
        }
        if let file { return CLIError("Image '\(image)': \(file): \(reason)", hint: fix) }
        return CLIError("Image '\(image)': \(reason)")
    }

    static func permissionDenied(_ operation: String) -> CLIError {
        CLIError(
            "Permission denied: \(operation) needs root, polkit's authorization or membership in berthd's admin group.",
            hint: "Run it as root (e.g. with sudo), or ask the administrator to start berthd with --group=GROUP "
                + "and add you to GROUP; listing and inspecting work for everyone."
        )
    }
}
