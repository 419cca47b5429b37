package import SystemCalls

#if canImport(Glibc)
import Glibc
#endif

/// A loop device bound read-only to a region of an image file.
///
/// Configured with `LO_FLAGS_AUTOCLEAR`, so the kernel detaches it as soon as the last user goes
/// away: our descriptor and any mount made from it. Holding the fd is what keeps it alive; a crash
/// closes the fd and releases the device. No partition scanning (this kernel has no partition
/// parsers, and the partition offsets come from our own GPT parser), no direct I/O.
package final class LoopAttachment: @unchecked Sendable {
    package let number: Int
    package let devicePath: String
    private var descriptor: FileDescriptor?

    /// Attempts to win a free loop device; `EBUSY` (another process configured it first) retries.
    static let maximumAttempts = 64

    init(backing: FileDescriptor, offset: UInt64, size: UInt64, imagePath: String) throws(DiskImageError) {
        func failure(_ error: SystemCallError) -> DiskImageError {
            DiskImageError(path: imagePath, reason: .loopDevice(error))
        }
        let control: FileDescriptor
        do {
            control = try FileDescriptor.currentWorkingDirectory.openat(
                LoopDevice.controlPath,
                flags: [.readWrite, .noControllingTerminal]
            )
        } catch {
            throw failure(error)
        }
        defer { control.close() }

        var lastError = SystemCallError(call: "ioctl", errno: EBUSY, detail: "LOOP_CONFIGURE")
        for _ in 0..<Self.maximumAttempts {
            do throws(SystemCallError) {
                let number = try LoopDevice.firstFree(control: control)
                let path = LoopDevice.devicePath(number: number)
                let loop = try FileDescriptor.currentWorkingDirectory.openat(
                    path,
                    flags: [.readOnly, .noControllingTerminal]
                )
                do {
                    try LoopDevice.configure(
                        loop,
                        backing: backing,
                        offset: offset,
                        sizeLimit: size,
                        flags: [.readOnly, .autoclear]
                    )
                } catch let error where error.errno == EBUSY {
                    loop.close()
                    lastError = error
                    continue
                } catch {
                    loop.close()
                    throw error
                }
                self.number = number
                self.devicePath = path
                self.descriptor = loop
                return
            } catch let error where error.errno == ENOENT || error.errno == ENXIO {
                // The node vanished between GET_FREE and open (another process removed it): retry.
                lastError = error
                continue
            } catch {
                throw failure(error)
            }
        }
        throw failure(lastError)
    }

    /// The open loop device, for ioctls and reads (`pread`).
    package var fileDescriptor: FileDescriptor? { descriptor }

    /// Drops our reference; the device detaches once nothing else (a mount) uses it.
    package func close() {
        descriptor?.close()
        descriptor = nil
    }

    deinit { close() }
}
