package import Signature
package import SystemCalls

#if canImport(Glibc)
import Glibc
#endif

/// The certificates systemd trusts for dm-verity root hash signatures: every `*.crt` in `verity.d`
/// under `/etc`, `/run`, `/usr/local/lib` and `/usr/lib`, a name in an earlier directory hiding the
/// same name in later ones (entries that are not regular files do not count), and a name masked by an
/// empty file or a link to `/dev/null`.
///
/// With `--root=DIR` the directories are those of the tree, and every path (symlinks included)
/// resolves inside it (`RESOLVE_IN_ROOT`): a link pointing out of the tree is resolved in the tree,
/// and what is not there is skipped. Files that are not regular (FIFOs, devices, directories) are
/// never opened for reading; unreadable or oversized ones are skipped, as systemd skips them.
package struct VerityKeyDirectories: Sendable, Equatable {
    package static let directories = ["/etc/verity.d", "/run/verity.d", "/usr/local/lib/verity.d", "/usr/lib/verity.d"]
    /// A certificate (or a short chain) is a few KiB; anything larger is not one.
    static let maximumFileSize = 256 * 1024

    package var certificates: [TrustedCertificate] = []
    /// What identifies the exact files read, for the verification cache.
    package var identities: [FileIdentity] = []

    /// Reads the certificates of the tree at `root` ("/" for this machine).
    package static func load(root: String = "/") throws(SystemCallError) -> VerityKeyDirectories {
        let tree = try FileDescriptor.currentWorkingDirectory.openat(root, flags: [.path, .directory])
        defer { tree.close() }
        var result = VerityKeyDirectories()
        var seen = Set<String>()
        for directory in directories {
            let relative = String(directory.dropFirst())
            let handle: FileDescriptor
            do {
                handle = try tree.openat2(relative, flags: [.directory, .readOnly], resolve: .confinedToRoot)
            } catch  where error.errno == ENOENT || error.errno == ENOTDIR {
                continue
            }
            let entries: [DirectoryEntry]
            do { entries = try handle.directoryEntries() } catch {
                handle.close()
                throw error
            }
            handle.close()
            for name in entries.map(\.name).sorted() where name.hasSuffix(".crt") && !name.hasPrefix(".") {
                guard !seen.contains(name) else { continue }
                switch read(relative + "/" + name, in: tree) {
                case .certificate(let pem, let identity):
                    seen.insert(name)
                    let machinePath = (root == "/" ? "" : root) + directory + "/" + name
                    result.certificates.append(TrustedCertificate(origin: machinePath, pem: pem))
                    result.identities.append(identity)
                case .masked(let identity):
                    seen.insert(name)
                    // Part of the cache key: unmasking must not leave a cached verdict in place.
                    result.identities.append(identity)
                case .skipped:
                    continue
                }
            }
        }
        return result
    }

    enum Entry {
        case certificate([UInt8], FileIdentity)
        /// An empty file or a link to `/dev/null` (any character device): hides the name in later
        /// directories. A device is never a certificate, so counting every one as a mask trusts less.
        case masked(FileIdentity)
        /// Not a regular file, unreadable or oversized: ignored, as if absent.
        case skipped
    }

    /// One `*.crt` entry, opened `O_PATH` first so FIFOs and devices are never opened for reading.
    static func read(_ relative: String, in tree: FileDescriptor) -> Entry {
        guard let located = try? tree.openat2(relative, flags: [.path], resolve: .confinedToRoot) else {
            return .skipped
        }
        defer { located.close() }
        guard let status = try? located.status() else { return .skipped }
        if (status.kind == .regular && status.size == 0) || status.kind == .characterDevice {
            return .masked(FileIdentity(status))
        }
        guard status.kind == .regular, status.size <= maximumFileSize,
            let (readable, reopened) = try? located.reopenForReading(expecting: status)
        else { return .skipped }
        defer { readable.close() }
        guard let bytes = try? readable.readAll(limit: maximumFileSize) else { return .skipped }
        return .certificate(bytes, FileIdentity(reopened))
    }
}
