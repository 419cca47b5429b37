import DiskImage
import Foundation
import SystemCalls
import TestSupport
import Testing

/// The leak check every DiskImage test ends with must be able to fail: each leak kind is made on
/// purpose here, must be reported, and must disappear once released.
@Suite("Leak check reports what is left", .enabled(if: loopDevicesAvailable, "needs root and /dev/loop-control"))
struct LeakCheckTests {
    @Test func openImageShowsAsDetachedMountAndLoopDevice() throws {
        let fixture = try RawFixture()
        let image = try RawImage.open(try fixture.squashfs())
        let loop = try #require(image.loopDevicePath)
        // The mount table does not list it; only the descriptor scan can see it.
        #expect(LeakScanner.visibleMounts(under: fixture.directory).isEmpty)
        let leftovers = LeakScanner.leftovers(under: fixture.directory)
        #expect(leftovers.contains { $0.hasPrefix("detached mount: fd ") }, "\(leftovers)")
        #expect(leftovers.contains("loop device \((loop as NSString).lastPathComponent)"), "\(leftovers)")
        image.close()
        fixture.expectNothingLeftBehind()
    }

    @Test func descriptorInsideADetachedMountKeepsItReported() throws {
        let fixture = try RawFixture()
        let image = try RawImage.open(try fixture.squashfs())
        let root = try #require(image.rootDirectory)
        // A file descriptor inside the mount outlives the image's own root descriptor.
        let file = try root.openat2("etc/marker", flags: [.readOnly], resolve: .confinedToRoot)
        image.close()
        let leftovers = fixture.leftovers()
        #expect(leftovers.contains { $0.hasPrefix("detached mount: fd \(file.rawValue) ") }, "\(leftovers)")
        #expect(leftovers.contains { $0.hasPrefix("loop device ") }, "\(leftovers)")
        file.close()
        fixture.expectNothingLeftBehind()
    }

    @Test(.enabled(if: RawImageTools.isInstalled("losetup") && RawImageTools.isInstalled("mount"), "needs util-linux"))
    func attachedLoopAndVisibleMountAreReported() throws {
        let fixture = try RawFixture()
        let image = try fixture.squashfs()
        let loop = try RawImageTools.run("losetup", ["--find", "--show", "--read-only", image])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        var loopAttached = true
        defer { if loopAttached { _ = try? RawImageTools.run("losetup", ["--detach", loop]) } }
        let loopName = (loop as NSString).lastPathComponent
        #expect(LeakScanner.leftovers(under: fixture.directory) == ["loop device \(loopName)"])

        // Mounted somewhere else entirely: found by its device, not its path.
        let target = try RawImageTools.makeTemporaryDirectory(prefix: "berth-leak-target")
        defer { RawImageTools.removeTree(target) }
        try RawImageTools.run("mount", ["-t", "squashfs", "-o", "ro", loop, target])
        var mounted = true
        defer { if mounted { _ = try? RawImageTools.run("umount", [target]) } }
        let visible = LeakScanner.visibleMounts(under: fixture.directory)
        #expect(visible.count == 1 && visible[0].contains(" \(target) "), "\(visible)")

        try RawImageTools.run("umount", [target])
        mounted = false
        try RawImageTools.run("losetup", ["--detach", loop])
        loopAttached = false
        fixture.expectNothingLeftBehind()
    }
}
