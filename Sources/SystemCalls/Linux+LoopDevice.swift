internal import CLinuxShims

#if canImport(Glibc)
import Glibc
#endif

/// Loop-device and block-device ioctls.
///
/// Raw images are attached the way the engine needs them and nothing more: one loop device per
/// partition with `offset`/`sizeLimit`, read-only, autoclear, no partition scanning (this kernel has
/// no partition table parsers) and no direct I/O.
package enum LoopDevice {
    /// Flags for `LOOP_CONFIGURE` (`LO_FLAGS_*`).
    package struct Flags: OptionSet, Sendable, Hashable {
        package let rawValue: UInt32
        package init(rawValue: UInt32) { self.rawValue = rawValue }

        package static let readOnly = Flags(rawValue: BERTH_LO_FLAGS_READ_ONLY)
        /// Detach automatically when the last opener (fd or mount) goes away.
        package static let autoclear = Flags(rawValue: BERTH_LO_FLAGS_AUTOCLEAR)
    }

    /// The loop-control node.
    package static let controlPath = "/dev/loop-control"

    /// `LOOP_CTL_GET_FREE`: the number of an unbound loop device (the kernel creates it if needed).
    package static func firstFree(control: FileDescriptor) throws(SystemCallError) -> Int {
        let number = try Syscall.retrying("ioctl", detail: "LOOP_CTL_GET_FREE") {
            berth_loop_ctl_get_free(control.rawValue)
        }
        return Int(number)
    }

    /// `LOOP_CONFIGURE`: binds `backing` to the loop device in one step (no window in which the
    /// device exists with the wrong offset or writable). `EBUSY` means another process won the race
    /// for this device; callers ask loop-control for a new number and try again.
    package static func configure(
        _ loop: FileDescriptor,
        backing: FileDescriptor,
        offset: UInt64,
        sizeLimit: UInt64,
        flags: Flags,
        blockSize: UInt32 = 0
    ) throws(SystemCallError) {
        _ = try Syscall.retrying("ioctl", detail: "LOOP_CONFIGURE") {
            berth_loop_configure(loop.rawValue, backing.rawValue, offset, sizeLimit, flags.rawValue, blockSize)
        }
    }

    /// The device node path of loop device `number`.
    package static func devicePath(number: Int) -> String { "/dev/loop\(number)" }
}

/// Block-device queries.
package enum BlockDevice {
    /// `BLKGETSIZE64`: the device size in bytes.
    package static func size(_ fd: FileDescriptor) throws(SystemCallError) -> UInt64 {
        var size: UInt64 = 0
        _ = try Syscall.retrying("ioctl", detail: "BLKGETSIZE64") { berth_block_get_size64(fd.rawValue, &size) }
        return size
    }

}
