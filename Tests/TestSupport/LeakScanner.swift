import Foundation
import Glibc
import SystemCalls

/// Finds what a test may have left behind from images under a directory: loop devices backed by its
/// files, mounts in the mount table, and detached mounts, which the mount table never lists (an
/// `open_tree`/`fsmount` descriptor, or any descriptor inside such a mount, keeps one alive).
///
/// A mount or descriptor belongs to the directory when its device is a loop device backed by a file
/// under it, or a device-mapper device stacked on such a loop device, or when its path names the directory.
/// btrfs reports an anonymous device number instead of its block device; a btrfs descriptor belongs to the
/// directory while a btrfs file system built on one of its loop devices is mounted.
package enum LeakScanner {
    /// Every leftover, described for a failure message; empty when clean.
    package static func leftovers(under directory: String) -> [String] {
        loopDevices(backedUnder: directory).map { "loop device \($0)" }
            + visibleMounts(under: directory).map { "mount: \($0)" }
            + detachedMounts(under: directory).map { "detached mount: \($0)" }
    }

    /// Loop devices whose backing file lies under `directory` (`/sys/block/loop*/loop/backing_file`).
    package static func loopDevices(backedUnder directory: String) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/sys/block") else { return [] }
        return names.filter { $0.hasPrefix("loop") && backingFile(ofLoop: $0, under: directory) != nil }.sorted()
    }

    /// Lines of `/proc/self/mountinfo` for mounts of the directory's images or below the directory.
    package static func visibleMounts(under directory: String) -> [String] {
        mountTable().filter { entry in
            entry.line.contains(directory) || blockDevice(entry.device, isBackedUnder: directory)
        }.map(\.line)
    }

    /// Descriptors of this process on a mount that is not in this namespace's mount table (a detached
    /// mount) and that belongs to the directory's images.
    package static func detachedMounts(under directory: String) -> [String] {
        detachedMountDescriptors().filter { descriptor in
            descriptor.target.contains(directory) || blockDevice(descriptor.device, isBackedUnder: directory)
                || (descriptor.isBtrfs && btrfsIsMounted(fromLoopUnder: directory))
        }.map(\.description)
    }

    package struct Descriptor: CustomStringConvertible {
        package var number: Int32
        package var target: String
        package var mountID: Int
        package var device: (major: UInt32, minor: UInt32)
        package var isBtrfs: Bool
        package var description: String {
            "fd \(number) -> \(target) (mnt_id \(mountID), device \(device.major):\(device.minor))"
        }
    }

    /// Descriptors whose `mnt_id` (fdinfo) is missing from `/proc/self/mountinfo`. Pseudo-files (pipes,
    /// sockets, anonymous inodes, namespaces) and memfds live on internal mounts that are never listed,
    /// so only descriptors that name a path are considered.
    package static func detachedMountDescriptors() -> [Descriptor] {
        let listed = Set(mountTable().map(\.mountID))
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") else { return [] }
        return names.compactMap { name -> Descriptor? in
            guard let number = Int32(name),
                let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(name)"),
                target.hasPrefix("/"), !target.hasPrefix("/memfd:"),
                let fdinfo = try? String(contentsOfFile: "/proc/self/fdinfo/\(name)", encoding: .utf8),
                let mountLine = fdinfo.split(separator: "\n").first(where: { $0.hasPrefix("mnt_id:") }),
                let mountID = Int(mountLine.dropFirst("mnt_id:".count).trimmingCharacters(in: .whitespaces)),
                !listed.contains(mountID)
            else { return nil }
            var status = stat()
            guard fstat(number, &status) == 0,
                let fileSystem = try? FileDescriptor(rawValue: number).fileSystemStatus()
            else { return nil }
            return Descriptor(
                number: number,
                target: target,
                mountID: mountID,
                device: split(status.st_dev),
                isBtrfs: fileSystem.isBtrfs
            )
        }.sorted { $0.number < $1.number }
    }

    struct MountEntry {
        var mountID: Int
        var device: (major: UInt32, minor: UInt32)
        var line: String
    }

    /// `/proc/self/mountinfo`: "ID PARENT MAJOR:MINOR ROOT TARGET …".
    static func mountTable() -> [MountEntry] {
        guard let table = try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8) else { return [] }
        return table.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ")
            guard fields.count > 2, let mountID = Int(fields[0]) else { return nil }
            let numbers = fields[2].split(separator: ":").compactMap { UInt32($0) }
            guard numbers.count == 2 else { return nil }
            return MountEntry(mountID: mountID, device: (numbers[0], numbers[1]), line: String(line))
        }
    }

    /// Linux's `dev_t` encoding (glibc's `gnu_dev_major`/`gnu_dev_minor`, which Swift does not import).
    static func split(_ device: dev_t) -> (major: UInt32, minor: UInt32) {
        let value = UInt64(device)
        let major = ((value >> 8) & 0xFFF) | ((value >> 32) & ~0xFFF)
        let minor = (value & 0xFF) | ((value >> 12) & ~0xFF)
        return (UInt32(truncatingIfNeeded: major), UInt32(truncatingIfNeeded: minor))
    }

    /// Whether the block device is a loop device backed under `directory`, or a device-mapper device
    /// (dm-crypt, dm-verity) on top of one.
    static func blockDevice(_ device: (major: UInt32, minor: UInt32), isBackedUnder directory: String) -> Bool {
        guard
            let link = try? FileManager.default.destinationOfSymbolicLink(
                atPath: "/sys/dev/block/\(device.major):\(device.minor)"
            )
        else { return false }
        let name = (link as NSString).lastPathComponent
        if name.hasPrefix("loop") { return backingFile(ofLoop: name, under: directory) != nil }
        let slaves = (try? FileManager.default.contentsOfDirectory(atPath: "/sys/block/\(name)/slaves")) ?? []
        return slaves.contains { $0.hasPrefix("loop") && backingFile(ofLoop: $0, under: directory) != nil }
    }

    /// `/sys/fs/btrfs/<uuid>/devices/` lists the block devices of every mounted btrfs.
    static func btrfsIsMounted(fromLoopUnder directory: String) -> Bool {
        let fileSystems = (try? FileManager.default.contentsOfDirectory(atPath: "/sys/fs/btrfs")) ?? []
        return fileSystems.contains { uuid in
            let devices = (try? FileManager.default.contentsOfDirectory(atPath: "/sys/fs/btrfs/\(uuid)/devices")) ?? []
            return devices.contains { $0.hasPrefix("loop") && backingFile(ofLoop: $0, under: directory) != nil }
        }
    }

    static func backingFile(ofLoop name: String, under directory: String) -> String? {
        guard let backing = try? String(contentsOfFile: "/sys/block/\(name)/loop/backing_file", encoding: .utf8),
            backing.hasPrefix(directory + "/")
        else { return nil }
        return backing.trimmingCharacters(in: .newlines)
    }
}
