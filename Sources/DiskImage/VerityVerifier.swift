internal import Cryptsetup

/// Where the hash tree for a data region lives.
package enum VerityHashSource: Sendable, Equatable {
    /// An external `.verity` file next to the image.
    case sidecar(path: String)
    /// A `root-verity`/`usr-verity` GPT partition (attached to its own loop device for reading).
    case partition(number: Int)

    package var description: String {
        switch self {
        case .sidecar(let path): "sidecar \(path)"
        case .partition(let number): "partition \(number)"
        }
    }
}

/// Where the root hash came from, reported in the image summary.
package enum RootHashOrigin: String, Sendable, Equatable {
    case option, sidecar
    case signaturePartition = "signature-partition"
    case partitionUUIDs = "partition-uuids"
}

/// Full userspace dm-verity check through libcryptsetup: every data block and hash block is read
/// and compared, before anything in the image is trusted.
///
/// This kernel has no device-mapper, so the check replaces dm-verity's on-read checking: it proves
/// the image matched the root hash at open time. The cache key includes the file's identity so a
/// later modification forces a new check.
enum VerityVerifier {
    /// Verifies `dataDevice` against the hash tree on `hashDevice` (with a verity superblock at
    /// offset 0). Throws `.verityVerificationFailed` on any mismatch.
    static func verify(
        dataDevice: String,
        hashDevice: String,
        rootHash: [UInt8],
        imagePath: String
    ) throws(DiskImageError) {
        func failure(_ detail: String) -> DiskImageError {
            DiskImageError(path: imagePath, reason: .verityVerificationFailed(detail))
        }
        let device: CryptDevice
        do {
            device = try CryptDevice(hashDevice: hashDevice, dataDevice: dataDevice)
        } catch {
            throw DiskImageError(path: imagePath, reason: .cryptsetup(error))
        }
        let header: VerityHeader
        do {
            header = try device.loadVerity()
        } catch {
            throw failure("no valid verity superblock in the hash data (\(error))")
        }
        let expectedLength = digestLength(header.hashAlgorithm)
        guard rootHash.count == expectedLength else {
            throw failure(
                "root hash has \(rootHash.count) bytes, \(header.hashAlgorithm) digests have "
                    + "\(expectedLength.map(String.init) ?? "an unknown number of")"
            )
        }
        do {
            try device.verifyVerity(rootHash: rootHash)
        } catch {
            throw failure("hash tree or data does not match root hash \(hexString(rootHash)) (\(error))")
        }
    }

    static func digestLength(_ algorithm: String) -> Int? {
        switch algorithm.lowercased() {
        case "sha1": 20
        case "sha256": 32
        case "sha512": 64
        default: nil
        }
    }
}
