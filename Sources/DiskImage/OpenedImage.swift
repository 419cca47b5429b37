package import SystemCalls

/// A raw image opened for reading: its root directory fd plus what was found.
///
/// Owns the loop device(s), the detached mount and (where device-mapper exists) the dm-crypt
/// mapping. `close()` releases everything in reverse order: root fd and mount first (so the kernel
/// unmounts the detached tree), then our loop fd (autoclear detaches the device once the mount is
/// gone). `deinit` closes as a safety net, but callers should close explicitly.
package final class OpenedImage: @unchecked Sendable {
    package let summary: ImageSummary
    private var mount: DetachedMount?
    private var loop: LoopAttachment?
    private var mapping: CryptMapping?

    init(summary: ImageSummary, mount: DetachedMount, loop: LoopAttachment, mapping: CryptMapping?) {
        self.summary = summary
        self.mount = mount
        self.loop = loop
        self.mapping = mapping
    }

    /// The image root as a directory fd, for `openat2(RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS)`.
    /// Owned by this object: do not close it; nil after `close()`.
    package var rootDirectory: FileDescriptor? { mount?.rootDirectory }

    package var path: String { summary.path }

    package var isOpen: Bool { mount != nil }

    /// The loop device backing the mount (for diagnostics; nil after close).
    package var loopDevicePath: String? { loop?.devicePath }

    package func close() {
        mount?.close()
        mount = nil
        mapping?.deactivate()
        mapping = nil
        loop?.close()
        loop = nil
    }

    deinit { close() }
}
