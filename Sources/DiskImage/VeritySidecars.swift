package import SystemCalls

#if canImport(Glibc)
import Glibc
#endif

/// Verity files that sit next to an image: for `/p/foo.raw`, `/p/foo.roothash` (hex root hash),
/// `/p/foo.roothash.p7s` (PKCS#7 signature of it), `/p/foo.verity` (hash tree) and the `/usr`
/// counterparts `.usrhash`, `.usrhash.p7s`.
package struct VeritySidecars: Sendable, Equatable {
    package var rootHash: [UInt8]?
    /// `.roothash.p7s` (checked later, against the verity.d certificates).
    package var rootHashSignature: RootHashSignature?
    package var usrHash: [UInt8]?
    package var usrHashSignature: RootHashSignature?
    /// Path of the external hash tree (`.verity`), if it exists.
    package var hashTreePath: String?
    package var hashTreeIdentity: FileIdentity?

    package init() {}

    /// `/p/foo.raw` → `/p/foo` (the stem sidecar names are built from).
    package static func stem(of imagePath: String) -> String {
        imagePath.hasSuffix(".raw") ? String(imagePath.dropLast(4)) : imagePath
    }

    /// Reads whichever sidecars exist. Sidecars must be regular files; a hash file that is not hex
    /// of a plausible digest length is an error rather than silently ignored.
    package static func load(for imagePath: String) throws(DiskImageError) -> VeritySidecars {
        let stem = stem(of: imagePath)
        var sidecars = VeritySidecars()
        sidecars.rootHash = try readHash(stem + ".roothash", imagePath: imagePath)
        sidecars.usrHash = try readHash(stem + ".usrhash", imagePath: imagePath)
        sidecars.rootHashSignature = try readSignature(stem + ".roothash.p7s", imagePath: imagePath)
        sidecars.usrHashSignature = try readSignature(stem + ".usrhash.p7s", imagePath: imagePath)
        if let status = try? FileDescriptor.currentWorkingDirectory.status(of: stem + ".verity", followSymlinks: true),
            status.kind == .regular
        {
            sidecars.hashTreePath = stem + ".verity"
            sidecars.hashTreeIdentity = FileIdentity(status)
        }
        return sidecars
    }

    /// A signature with its signer's certificate is 1–3 KiB; a sidecar far larger is not one.
    static let maximumSignatureSize = 64 * 1024

    /// A `.p7s` sidecar's bytes; nil when there is none (or it is not a regular file, as before
    /// signatures were checked). Its content is judged by the signature check, not here.
    static func readSignature(_ path: String, imagePath: String) throws(DiskImageError) -> RootHashSignature? {
        guard (try? FileDescriptor.currentWorkingDirectory.status(of: path, followSymlinks: true))?.kind == .regular
        else { return nil }
        let file: FileDescriptor
        do {
            file = try FileDescriptor.currentWorkingDirectory.openat(
                path,
                flags: [.readOnly, .nonBlocking, .noControllingTerminal]
            )
        } catch {
            throw DiskImageError(path: imagePath, reason: .io(error))
        }
        defer { file.close() }
        do {
            guard try file.status().kind == .regular else { return nil }
            return RootHashSignature(bytes: try file.readAll(limit: maximumSignatureSize), origin: path)
        } catch  where error.errno == EFBIG {
            throw DiskImageError(
                path: imagePath,
                reason: .veritySignatureInvalid("\(path) is larger than \(maximumSignatureSize / 1024) KiB")
            )
        } catch {
            throw DiskImageError(path: imagePath, reason: .io(error))
        }
    }

    static func readHash(_ path: String, imagePath: String) throws(DiskImageError) -> [UInt8]? {
        let file: FileDescriptor
        do {
            file = try FileDescriptor.currentWorkingDirectory.openat(
                path,
                flags: [.readOnly, .nonBlocking, .noControllingTerminal]
            )
        } catch let error where error.errno == ENOENT {
            return nil
        } catch {
            throw DiskImageError(path: imagePath, reason: .io(error))
        }
        defer { file.close() }
        let status: FileStatus
        let text: [UInt8]
        do {
            status = try file.status()
            text = status.kind == .regular ? try file.readAll(limit: 4096) : []
        } catch {
            throw DiskImageError(path: imagePath, reason: .io(error))
        }
        guard status.kind == .regular else {
            throw DiskImageError(path: imagePath, reason: .invalidRootHash("\(path) is not a regular file"))
        }
        return try parseRootHash(String(decoding: text, as: UTF8.self), origin: path, imagePath: imagePath)
    }

    /// Hex root hash of 32…64 bytes (SHA-256 to SHA-512).
    package static func parseRootHash(
        _ text: String,
        origin: String,
        imagePath: String
    ) throws(DiskImageError) -> [UInt8] {
        guard let bytes = parseHex(text), bytes.count >= 20, bytes.count <= 64 else {
            throw DiskImageError(path: imagePath, reason: .invalidRootHash("\(origin) does not hold a hex root hash"))
        }
        return bytes
    }
}

/// What identifies a file's exact content for caching: device, inode, size and both timestamps.
/// A rewrite in place changes mtime/ctime, a replacement changes the inode.
package struct FileIdentity: Sendable, Hashable {
    package var device: UInt64
    package var inode: UInt64
    package var size: Int64
    package var modificationTimeMicroseconds: UInt64
    package var changeTimeMicroseconds: UInt64

    package init(_ status: FileStatus) {
        device = status.device
        inode = status.inode
        size = status.size
        modificationTimeMicroseconds = status.modificationTimeMicroseconds
        changeTimeMicroseconds = status.changeTimeMicroseconds
    }
}
