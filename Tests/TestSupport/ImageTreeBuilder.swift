import Foundation
import Glibc

/// Builds directory trees for tests: portable images, host roots, hostile variations.
package struct ImageTreeBuilder: Sendable {
    /// The machine path of the tree's top directory.
    package let root: String

    package init(root: String) {
        self.root = root
        mkdirs(root)
    }

    private func absolute(_ relative: String) -> String {
        root + "/" + relative.drop { $0 == "/" }
    }

    private func mkdirs(_ path: String) {
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    @discardableResult
    package func directory(_ relative: String) -> String {
        let path = absolute(relative)
        mkdirs(path)
        return path
    }

    /// Writes a file (parents created), returning its machine path.
    @discardableResult
    package func file(_ relative: String, _ contents: String, mode: UInt32 = 0o644) -> String {
        bytes(relative, Array(contents.utf8), mode: mode)
    }

    @discardableResult
    package func bytes(_ relative: String, _ contents: [UInt8], mode: UInt32 = 0o644) -> String {
        let path = absolute(relative)
        mkdirs((path as NSString).deletingLastPathComponent)
        unlink(path)
        _ = FileManager.default.createFile(atPath: path, contents: Data(contents))
        chmod(path, mode_t(mode))
        return path
    }

    package func symlink(_ relative: String, to target: String) {
        let path = absolute(relative)
        mkdirs((path as NSString).deletingLastPathComponent)
        unlink(path)
        precondition(Glibc.symlink(target, path) == 0, "symlink \(path): \(errno)")
    }

    package func fifo(_ relative: String) {
        let path = absolute(relative)
        mkdirs((path as NSString).deletingLastPathComponent)
        precondition(mkfifo(path, 0o644) == 0, "mkfifo \(path): \(errno)")
    }

    /// A character device node (needs root; the tests run as root in CI).
    @discardableResult
    package func characterDevice(_ relative: String, major: UInt32, minor: UInt32) -> Bool {
        let path = absolute(relative)
        mkdirs((path as NSString).deletingLastPathComponent)
        let major = UInt64(major)
        let minor = UInt64(minor)
        // makedev(3) is a macro Swift cannot import; this is glibc's encoding.
        let device =
            ((major & 0xFFFF_F000) << 32) | ((major & 0xFFF) << 8) | ((minor & 0xFFFF_FF00) << 12) | (minor & 0xFF)
        return mknod(path, S_IFCHR | 0o644, dev_t(device)) == 0
    }

    /// A sparse file of `size` bytes (one byte written at the end).
    package func sparseFile(_ relative: String, size: Int64) {
        let path = absolute(relative)
        mkdirs((path as NSString).deletingLastPathComponent)
        let fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0o644)
        precondition(fd >= 0)
        _ = ftruncate(fd, off_t(size))
        close(fd)
    }

    /// A minimal portable image: os-release plus the given units in /usr/lib/systemd/system.
    package func portableImage(
        osRelease: String = "ID=debian\nVERSION_ID=12\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n",
        units: [String: String]
    ) {
        file("usr/lib/os-release", osRelease)
        symlink("etc/os-release", to: "../usr/lib/os-release")
        for (name, contents) in units { file("usr/lib/systemd/system/\(name)", contents) }
        directory("usr/bin")
    }

    /// Every entry below the tree: relative path → kind and content (for before/after comparisons).
    package func snapshot(excluding excluded: [String] = []) -> [String: String] {
        ImageTreeBuilder.snapshot(of: root, excluding: excluded)
    }

    package static func snapshot(of root: String, excluding excluded: [String] = []) -> [String: String] {
        var result: [String: String] = [:]
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return result }
        while let relative = enumerator.nextObject() as? String {
            if excluded.contains(where: { relative == $0 || relative.hasPrefix($0 + "/") }) { continue }
            let path = root + "/" + relative
            var status = stat()
            guard lstat(path, &status) == 0 else { continue }
            switch status.st_mode & S_IFMT {
            case S_IFLNK:
                let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "?"
                result[relative] = "link:\(target)"
            case S_IFREG where status.st_size > 1 << 20:
                // Hostile trees hold huge sparse files: compare what stat says instead of reading them.
                result[relative] =
                    "big:\(String(status.st_mode & 0o7777, radix: 8)):\(status.st_size):\(status.st_blocks):"
                    + "\(status.st_mtim.tv_sec).\(status.st_mtim.tv_nsec)"
            case S_IFREG:
                let data = FileManager.default.contents(atPath: path) ?? Data()
                result[relative] =
                    "file:\(String(status.st_mode & 0o7777, radix: 8)):\(String(decoding: data, as: UTF8.self))"
            case S_IFDIR:
                result[relative] = "dir"
            default:
                result[relative] = "other:\(status.st_mode & S_IFMT)"
            }
        }
        return result
    }
}
