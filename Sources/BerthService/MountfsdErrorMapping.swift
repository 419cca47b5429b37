package import PortableEngine
import SystemCalls
package import Varlink
import VarlinkJSON

#if canImport(Glibc)
import Glibc
#endif

/// Why a MountImage call failed: mountfsd's error reply, or no conversation with it at all.
package enum MountfsdFailure: Error, Sendable {
    case remote(VarlinkRemoteError)
    case connection(VarlinkConnectionError)
    case other(String)
}

/// mountfsd's answers as the engine's errors. portabled's own words come first where it has them (its
/// dissection errors, the same for a loop device and for mountfsd); Berth's explanation follows on the
/// next line, which clients print as the hint.
package enum MountfsdErrorMapping {
    package static func engineError(_ failure: MountfsdFailure, image path: String, address: String) -> PortableError {
        switch failure {
        case .connection(.connectFailed(_, let error)) where error.errno == ENOENT || error.errno == ECONNREFUSED:
            .notSupported(
                reason: "Image '\(path)' is a raw image, which in user scope is mounted by systemd-mountfsd, "
                    + "but nothing listens on \(address) (systemd >= 256: systemctl enable --now "
                    + "systemd-mountfsd.socket)."
            )
        case .connection(let error):
            .badImage(image: path, reason: "Cannot ask systemd-mountfsd to mount the image: \(error)", file: nil)
        case .other(let text):
            .badImage(image: path, reason: "Cannot ask systemd-mountfsd to mount the image: \(text)", file: nil)
        case .remote(let error):
            remoteError(error, image: path)
        }
    }

    static func remoteError(_ error: VarlinkRemoteError, image path: String) -> PortableError {
        let detail = "systemd-mountfsd answered \(error.name)"
        switch MountFileSystem.Error(name: error.name, parameters: error.parameters) {
        case .rootPartitionNotFound:
            return .badImage(
                image: path,
                portabled: "No suitable root partition found in image '\(path)'.",
                detail: detail + ".",
                file: nil
            )
        case .multipleRootPartitionsFound:
            return .badImage(
                image: path,
                portabled: "Multiple suitable root partitions found in image '\(path)'.",
                detail: detail + ".",
                file: nil
            )
        case .incompatibleImage:
            return .badImage(
                image: path,
                portabled: "Couldn't identify a suitable partition table or file system in '\(path)'.",
                detail: detail + ": it cannot mount this image.",
                file: nil
            )
        case .deniedByImagePolicy:
            return .badImage(
                image: path,
                portabled: PortableError.errnoText(ERFKILL),
                detail: detail + ": the image policy does not allow this image's partitions.",
                file: nil
            )
        case .keyNotFound:
            return .keyRequired(image: path)
        case .verityFailure:
            return .badImage(
                image: path,
                portabled: PortableError.errnoText(EIO),
                detail: detail + ": dm-verity could not be set up (device-mapper is needed for verity).",
                file: nil
            )
        case .badFileDescriptorFlags(let parameter):
            return .badImage(image: path, reason: detail + ": bad flags on the fd passed as \(parameter).", file: nil)
        case nil:
            break
        }
        switch error.name {
        // systemd's generic failure: an errno, whose text is what portabled prints for it.
        case "io.systemd.System":
            let code = error.parameters["errno"]?.int64Value.map { Int32(truncatingIfNeeded: $0) } ?? EIO
            let name = error.parameters["errnoName"]?.stringValue ?? "errno \(code)"
            return .badImage(
                image: path,
                portabled: PortableError.errnoText(code),
                detail: "systemd-mountfsd failed with \(name) (polkit unreachable gives ERFKILL).",
                file: nil
            )
        case "org.varlink.service.PermissionDenied", "io.systemd.System.PermissionDenied",
            "io.systemd.InteractiveAuthenticationRequired":
            return .badImage(
                image: path,
                portabled: PortableError.errnoText(EPERM),
                detail: detail + ": polkit did not grant this user io.systemd.mount-file-system.mount-image "
                    + "(and mount-untrusted-image for an image outside the system's image directories "
                    + "without a dm-verity signature the host trusts).",
                file: nil
            )
        default:
            let parameters = error.parameters.isEmpty ? "" : " \(error.parameters)"
            return .badImage(image: path, reason: "\(detail)\(parameters).", file: nil)
        }
    }
}
