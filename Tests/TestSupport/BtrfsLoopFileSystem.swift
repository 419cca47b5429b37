import Foundation
import Glibc

/// A btrfs file system made in a file and loop-mounted for one test, with the `btrfs` tool as an
/// independent oracle for what the kernel holds (subvolumes, quota groups). `unmount()` before the
/// temporary directory goes; `leftovers` then names any mount or loop device still there.
package final class BtrfsLoopFileSystem: @unchecked Sendable {
    package let temp: TempDirectory
    package let mountPoint: String
    private var mounted = false

    /// Why a test cannot make one here; nil when it can.
    package static var unavailableReason: String? {
        if !RawImageTools.isInstalled("mkfs.btrfs") || !RawImageTools.isInstalled("btrfs") {
            return "needs mkfs.btrfs and btrfs (btrfs-progs)"
        }
        return RawImageTools.canUseLoopDevices ? nil : "needs root and /dev/loop-control"
    }

    /// Makes and mounts a `size`-byte btrfs (mkfs.btrfs' minimum is about 110 MiB with its defaults).
    package init(prefix: String = "berth-btrfs", size: Int = 128 << 20) throws {
        temp = TempDirectory(prefix: prefix)
        let image = temp.join("fs.img")
        mountPoint = temp.join("mnt")
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        let fd = open(image, O_CREAT | O_WRONLY | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw RawImageTools.Failure(command: "open \(image)", status: errno, output: "") }
        let truncated = ftruncate(fd, size)
        close(fd)
        guard truncated == 0 else { throw RawImageTools.Failure(command: "ftruncate", status: errno, output: "") }
        try RawImageTools.run("mkfs.btrfs", ["-q", image])
        try RawImageTools.run("mount", ["-o", "loop", image, mountPoint])
        mounted = true
    }

    deinit { unmount() }

    /// Unmounts (the loop device goes with it: mount -o loop sets autoclear). Still busy (a descriptor
    /// open below it), it is detached lazily, so it goes when that closes; `leftovers` tells a test so.
    package func unmount() {
        guard mounted else { return }
        mounted = false
        // A server thread of the test may take a moment to let go of its descriptors after stopping.
        for _ in 0..<20 {
            if (try? RawImageTools.run("umount", [mountPoint])) != nil { return }
            usleep(100_000)
        }
        _ = try? RawImageTools.run("umount", ["-l", mountPoint])
    }

    /// Mounts and loop devices left under the temporary directory. The kernel clears an autoclear loop
    /// device in a work item after the last unmount, so a device still listed is asked about again for a
    /// while before it counts.
    package var leftovers: [String] {
        var found = LeakScanner.leftovers(under: temp.path)
        for _ in 0..<30 where !found.isEmpty {
            usleep(100_000)
            found = LeakScanner.leftovers(under: temp.path)
        }
        return found
    }

    /// `mountPoint` + "/" + a relative path.
    package func join(_ relative: String) -> String { mountPoint + "/" + relative }

    /// Runs the btrfs tool; its stdout.
    @discardableResult
    package func btrfs(_ arguments: [String]) throws -> String {
        try RawImageTools.run("btrfs", arguments)
    }

    /// Makes a subvolume (and its missing parent directories) at a path relative to the mount point.
    package func createSubvolume(_ relative: String) throws {
        let path = join(relative)
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent,
            withIntermediateDirectories: true
        )
        try btrfs(["subvolume", "create", path])
    }

    /// Switches quota accounting on, as an administrator would, and waits for the first count.
    package func enableQuota() throws {
        try btrfs(["quota", "enable", mountPoint])
        try btrfs(["quota", "rescan", "-w", mountPoint])
    }

    /// A quota group as `btrfs qgroup show` prints it (bytes; nil limit: none).
    package struct QuotaGroup: Equatable, Sendable {
        package var referenced: UInt64
        package var exclusive: UInt64
        package var referencedLimit: UInt64?
    }

    /// Every quota group by its "level/id" name, read with `btrfs qgroup show -re --raw`.
    package func quotaGroups() throws -> [String: QuotaGroup] {
        let output = try btrfs(["qgroup", "show", "-re", "--raw", mountPoint])
        var groups: [String: QuotaGroup] = [:]
        for line in output.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard fields.count >= 4, fields[0].contains("/"), let referenced = UInt64(fields[1]),
                let exclusive = UInt64(fields[2])
            else { continue }
            groups[fields[0]] = QuotaGroup(
                referenced: referenced,
                exclusive: exclusive,
                referencedLimit: UInt64(fields[3])
            )
        }
        return groups
    }
}
