internal import CLinuxShims

#if canImport(Glibc)
import Glibc
#endif

/// Loop-device and block-device ioctls.
///
/// Raw images are attached the way the engine needs them and nothing more: one loop device per
/// partition with `offset`/`sizeLimit`, read-only, autoclear, no partition scanning (this kernel has
/// no partition table parsers) and no direct I/O.
public enum LoopDevice {
    /// Flags for `LOOP_CONFIGURE` (`LO_FLAGS_*`).
    public struct Flags: OptionSet, Sendable, Hashable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }

        public static let readOnly = Flags(rawValue: BERTH_LO_FLAGS_READ_ONLY)
        /// Detach automatically when the last opener (fd or mount) goes away.
        public static let autoclear = Flags(rawValue: BERTH_LO_FLAGS_AUTOCLEAR)
        public static let partitionScan = Flags(rawValue: BERTH_LO_FLAGS_PARTSCAN)
        public static let directIO = Flags(rawValue: BERTH_LO_FLAGS_DIRECT_IO)
    }

    /// The loop-control node.
    public static let controlPath = "/dev/loop-control"

    /// `LOOP_CTL_GET_FREE`: the number of an unbound loop device (the kernel creates it if needed).
    public static func firstFree(control: FileDescriptor) throws(SystemCallError) -> Int {
        let number = try Syscall.retrying("ioctl", detail: "LOOP_CTL_GET_FREE") {
            berth_loop_ctl_get_free(control.rawValue)
        }
        return Int(number)
    }

    /// `LOOP_CONFIGURE`: binds `backing` to the loop device in one step (no window in which the
    /// device exists with the wrong offset or writable). `EBUSY` means another process won the race
    /// for this device; callers ask loop-control for a new number and try again.
    public static func configure(
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

    /// `LOOP_CLR_FD`: detaches explicitly (autoclear devices detach on last close anyway).
    public static func clear(_ loop: FileDescriptor) throws(SystemCallError) {
        _ = try Syscall.retrying("ioctl", detail: "LOOP_CLR_FD") { berth_loop_clear_fd(loop.rawValue) }
    }

    /// The device node path of loop device `number`.
    public static func devicePath(number: Int) -> String { "/dev/loop\(number)" }
}

/// Block-device queries.
public enum BlockDevice {
    /// `BLKGETSIZE64`: the device size in bytes.
    public static func size(_ fd: FileDescriptor) throws(SystemCallError) -> UInt64 {
        var size: UInt64 = 0
        _ = try Syscall.retrying("ioctl", detail: "BLKGETSIZE64") { berth_block_get_size64(fd.rawValue, &size) }
        return size
    }

    /// `BLKROGET`: whether the device is read-only.
    public static func isReadOnly(_ fd: FileDescriptor) throws(SystemCallError) -> Bool {
        var readOnly: Int32 = 0
        _ = try Syscall.retrying("ioctl", detail: "BLKROGET") { berth_block_get_readonly(fd.rawValue, &readOnly) }
        return readOnly != 0
    }
}
