package import SystemCalls

/// Why an image could not be opened. Always names the image; `reason` says what was wrong.
package struct DiskImageError: Error, Sendable, CustomStringConvertible {
    package enum Reason: Sendable {
        /// Not a regular file or block device (a FIFO, socket, character device, directory…).
        case badImageType(String)
        /// Neither a GPT disk nor a file system or LUKS header this code recognises.
        case unknownFormat
        case truncated(String)
        case corruptPartitionTable(String)
        case invalidPartition(String)
        case noRootPartition
        case multipleRootPartitions
        /// A file system type the kernel refused or this code does not mount.
        case unsupportedFileSystem(String)
        /// A root hash sidecar or option that is not valid hex of a plausible length.
        case invalidRootHash(String)
        /// A root hash is known but no verity data (sidecar or partition) was found.
        case verityDataMissing
        /// The hash tree, the data or the root hash does not match.
        case verityVerificationFailed(String)
        /// A root hash signature (`.roothash.p7s`, `.usrhash.p7s`, `*-verity-sig` partition) is
        /// malformed, by an untrusted key, or over another root hash.
        case veritySignatureInvalid(String)
        /// The image is LUKS2-encrypted and no key was supplied.
        case encryptedNeedsKey
        /// No key slot accepted the supplied passphrase or key file.
        case wrongKey
        /// The image claims LUKS but its header is unusable.
        case invalidEncryptionHeader(String)
        /// The key is right but this kernel cannot activate dm-crypt (or dm-verity).
        case deviceMapperUnavailable
        case cryptsetup(SystemCallError)
        case loopDevice(SystemCallError)
        case mount(SystemCallError)
        case io(SystemCallError)
        /// A vpick `.v/` directory without a usable entry.
        case noVersionFound
    }

    /// The image path (or `<memory>` for in-memory parses).
    package var path: String
    package var reason: Reason

    package init(path: String, reason: Reason) {
        self.path = path
        self.reason = reason
    }

    /// A stable short identifier for the reason, for logs, tests and the service's wire errors.
    package var identifier: String {
        switch reason {
        case .badImageType: "BadImageType"
        case .unknownFormat: "UnknownFormat"
        case .truncated: "Truncated"
        case .corruptPartitionTable: "CorruptPartitionTable"
        case .invalidPartition: "InvalidPartition"
        case .noRootPartition: "NoRootPartition"
        case .multipleRootPartitions: "MultipleRootPartitions"
        case .unsupportedFileSystem: "UnsupportedFileSystem"
        case .invalidRootHash: "InvalidRootHash"
        case .verityDataMissing: "VerityDataMissing"
        case .verityVerificationFailed: "VerityVerificationFailed"
        case .veritySignatureInvalid: "VeritySignatureInvalid"
        case .encryptedNeedsKey: "EncryptedNeedsKey"
        case .wrongKey: "WrongKey"
        case .invalidEncryptionHeader: "InvalidEncryptionHeader"
        case .deviceMapperUnavailable: "DeviceMapperUnavailable"
        case .cryptsetup: "Cryptsetup"
        case .loopDevice: "LoopDevice"
        case .mount: "Mount"
        case .io: "IO"
        case .noVersionFound: "NoVersionFound"
        }
    }

    package var description: String {
        let what: String
        switch reason {
        case .badImageType(let kind):
            what =
                "is a \(kind), not a regular file or block device; supported raw images are regular files "
                + "with suffix '.raw' and block devices"
        case .unknownFormat: what = "contains no recognised partition table, file system or LUKS2 header"
        case .truncated(let detail): what = "is truncated (\(detail))"
        case .corruptPartitionTable(let detail): what = "has a corrupt GPT: \(detail)"
        case .invalidPartition(let detail): what = "has an invalid partition table: \(detail)"
        case .noRootPartition: what = "has no suitable root partition for this architecture"
        case .multipleRootPartitions: what = "has more than one suitable root partition"
        case .unsupportedFileSystem(let detail): what = "has an unsupported file system: \(detail)"
        case .invalidRootHash(let detail): what = "has an invalid root hash: \(detail)"
        case .verityDataMissing: what = "has a root hash but no verity hash data"
        case .verityVerificationFailed(let detail): what = "failed dm-verity verification: \(detail)"
        case .veritySignatureInvalid(let detail):
            what = "has a dm-verity root hash signature that is refused: \(detail)"
        case .encryptedNeedsKey: what = "is LUKS2-encrypted; a passphrase, key file or token is needed"
        case .wrongKey: what = "could not be unlocked: no key slot accepts the supplied key"
        case .invalidEncryptionHeader(let detail): what = "has an unusable LUKS2 header: \(detail)"
        case .deviceMapperUnavailable:
            what = "was unlocked, but cannot be activated: device-mapper not available on this kernel"
        case .cryptsetup(let error): what = "could not be processed by libcryptsetup: \(error)"
        case .loopDevice(let error): what = "could not be attached to a loop device: \(error)"
        case .mount(let error): what = "could not be mounted: \(error)"
        case .io(let error): what = "could not be read: \(error)"
        case .noVersionFound: what = "contains no matching versioned entry"
        }
        return "Image '\(path)' \(what)."
    }
}
