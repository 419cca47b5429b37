import Foundation
import PortableEngine
import TestSupport
import Testing

/// Raw images go through the DiskImage module (real loop device, detached mount); the engine reads
/// them through the root fd it hands back.
@Suite("Raw images")
struct RawImageAttachTests {
    static let service = "[Service]\nExecStart=/usr/bin/sq\n"

    private static var mksquashfs: String? {
        ["/usr/bin/mksquashfs", "/usr/sbin/mksquashfs"].first { access($0, X_OK) == 0 }
    }

    private static func loopDevicesBacked(by path: String) -> Int {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/sys/block")) ?? []
        return entries.filter { $0.hasPrefix("loop") }.filter { device in
            let backing = (try? String(contentsOfFile: "/sys/block/\(device)/loop/backing_file", encoding: .utf8)) ?? ""
            return backing.trimmingCharacters(in: .whitespacesAndNewlines) == path
        }.count
    }

    static var canBuildAndMount: Bool { mksquashfs != nil && access("/dev/loop-control", W_OK) == 0 }

    private static func squash(_ tree: String, into rawPath: String, with mksquashfs: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: mksquashfs)
        process.arguments = [tree, rawPath, "-quiet", "-noappend", "-all-root"]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)
    }

    private static var openDescriptorCount: Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd"))?.count ?? -1
    }

    private static var mountCount: Int {
        ((try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)) ?? "").split(separator: "\n").count
    }

    @Test(
        "1,000 attach/detach cycles of a squashfs image leave no loop device, mount or descriptor behind",
        .enabled(if: canBuildAndMount, "needs mksquashfs and loop devices (root)")
    )
    func thousandCyclesLeakNothing() async throws {
        let mksquashfs = try #require(Self.mksquashfs)
        let fixture = EngineFixture()
        let tree = ImageTreeBuilder(root: fixture.temp.join("cycle-tree"))
        tree.portableImage(units: ["cy.service": Self.service])
        let rawPath = fixture.host.root + "/var/lib/portables/cy_1.raw"
        try Self.squash(tree.root, into: rawPath, with: mksquashfs)
        let engine = try fixture.engine()
        let descriptors = Self.openDescriptorCount
        let mounts = Self.mountCount
        for _ in 0..<1000 {
            _ = try await engine.attach(AttachRequest(image: "cy_1", runtime: true, noReload: true))
            _ = try await engine.detach(DetachRequest(image: "cy_1", runtime: true, noReload: true))
        }
        #expect(Self.loopDevicesBacked(by: rawPath) == 0)
        // The process is shared with other suites, whose stray fds may close meanwhile: a leak would
        // show as a thousand more, so a little slack keeps the check honest and stable.
        #expect(Self.openDescriptorCount <= descriptors + 8)
        #expect(Self.mountCount == mounts)
        #expect(try await engine.state(image: "cy_1") == .detached)
    }

    @Test(
        "a squashfs .raw attaches with RootImage= and the pinned policy; no loop device is left",
        .enabled(if: canBuildAndMount, "needs mksquashfs and loop devices (root)")
    )
    func squashfsAttach() async throws {
        let mksquashfs = try #require(Self.mksquashfs)
        let fixture = EngineFixture()
        let tree = ImageTreeBuilder(root: fixture.temp.join("sq-tree"))
        tree.portableImage(units: ["sq.service": Self.service])
        tree.symlink("usr/lib/systemd/system/other-escape.service", to: fixture.secretPath)
        let rawPath = fixture.host.root + "/var/lib/portables/sq_1.raw"
        try Self.squash(tree.root, into: rawPath, with: mksquashfs)

        let engine = try fixture.engine()
        // The escaping symlink inside the squashfs resolves inside the image, to nothing: skipped, as
        // portabled 262 does, so no unit matches; no secret anywhere.
        let nothingMatches = PortableError.noMatchingUnitFiles(image: "/var/lib/portables/sq_1.raw", matches: ["other"])
        await #expect(throws: nothingMatches) {
            _ = try await engine.attach(AttachRequest(image: "sq_1", matches: ["other"]))
        }
        let metadata = try engine.inspect(InspectRequest(image: "sq_1"))
        #expect(metadata.kind == .raw)
        #expect(metadata.units.map(\.name) == ["sq.service"])
        #expect(
            metadata.disk
                == DiskDetails(partitionTable: "none", fileSystem: "squashfs", verity: .none, encryption: .none)
        )
        let result = try await engine.attach(AttachRequest(image: "sq_1"))
        #expect(result.units == ["sq.service"])
        let dropIn = try #require(fixture.read("/etc/systemd/system.attached/sq.service.d/20-portable.conf"))
        #expect(
            dropIn.hasPrefix("# Drop-in created for image '/var/lib/portables/sq_1.raw', do not edit.\n\n[Service]\n")
        )
        #expect(
            dropIn.contains(
                "RootImage=/var/lib/portables/sq_1.raw\nEnvironment=PORTABLE=sq_1.raw\nLogExtraFields=PORTABLE=sq_1.raw\nRootImagePolicy=root="
            )
        )
        #expect(fixture.read("/etc/systemd/system.attached/sq.service") == Self.service)
        #expect(await engine.listImages().map(\.kind) == [.raw])
        #expect(await engine.listImages().map(\.disk) == [metadata.disk])
        #expect(try await engine.image("sq_1").disk == metadata.disk)
        #expect(try await engine.state(image: "sq_1") == .attached)
        _ = try await engine.detach(DetachRequest(image: "sq_1"))
        #expect(Self.loopDevicesBacked(by: rawPath) == 0)
    }

    /// portablectl 257 and 262, `attach --copy=mixed /srv/images/rimg.raw` (lab, recorded): the last change is
    /// `Copied /srv/images/rimg.raw → /etc/portables/rimg.raw.`, the copy a plain file; detach removes it.
    @Test(
        "--copy=mixed copies a raw image into the portables directory, by path or by name; detach removes the copy",
        .enabled(if: canBuildAndMount, "needs mksquashfs and loop devices (root)")
    )
    func mixedModeCopiesRawImage() async throws {
        let mksquashfs = try #require(Self.mksquashfs)
        let fixture = EngineFixture()
        let tree = ImageTreeBuilder(root: fixture.temp.join("mixed-tree"))
        tree.portableImage(units: ["mx.service": Self.service])
        fixture.host.directory("srv/images")
        let root = fixture.host.root
        try Self.squash(tree.root, into: root + "/srv/images/mx.raw", with: mksquashfs)
        try Self.squash(tree.root, into: root + "/var/lib/portables/mx_2.raw", with: mksquashfs)
        let engine = try fixture.engine()
        for (image, path, runtime) in [
            ("/srv/images/mx.raw", "/srv/images/mx.raw", false), ("mx_2", "/var/lib/portables/mx_2.raw", true),
        ] {
            let portables = runtime ? "/run/portables" : "/etc/portables"
            let copy = portables + "/" + (path as NSString).lastPathComponent
            // Each copy equals its own image: two squashfs images of one tree differ in their creation time
            // (superblock bytes 8–11) whenever mksquashfs ran in two different seconds.
            let original = try #require(FileManager.default.contents(atPath: root + path))
            let result = try await engine.attach(
                AttachRequest(image: image, matches: ["mx"], copyMode: .mixed, runtime: runtime)
            )
            #expect(result.changes.last?.description == "Copied \(root)\(path) \u{2192} \(root)\(copy).")
            #expect(fixture.linkTarget(copy) == nil)
            #expect(FileManager.default.contents(atPath: root + copy) == original)
            let detached = try await engine.detach(DetachRequest(image: image, runtime: runtime))
            #expect(detached.changes.map(\.description).contains("Removed \(root)\(copy)."))
            #expect(!fixture.exists(copy))
            #expect(fixture.exists(path))
        }
        #expect(Self.loopDevicesBacked(by: root + "/srv/images/mx.raw") == 0)
    }

    @Test(
        "a squashfs sysext extension is layered with ExtensionImages= and its extension-release is checked",
        .enabled(if: canBuildAndMount, "needs mksquashfs and loop devices (root)")
    )
    func rawExtension() async throws {
        let mksquashfs = try #require(Self.mksquashfs)
        let fixture = EngineFixture()
        fixture.image("rootdir", osRelease: "ID=debian\nVERSION_ID=12\n", units: [:])
        let tree = ImageTreeBuilder(root: fixture.temp.join("ext-tree"))
        tree.file(
            "usr/lib/extension-release.d/extension-release.app0",
            "ID=debian\nVERSION_ID=12\nSYSEXT_IMAGE_ID=app\nPORTABLE_PREFIXES=app0\n"
        )
        tree.file("usr/lib/systemd/system/app0.service", Self.service)
        _ = fixture.host.directory("srv")
        try Self.squash(tree.root, into: fixture.host.root + "/srv/app0.raw", with: mksquashfs)
        // The same tree under another name: its extension-release does not match the image name.
        try Self.squash(tree.root, into: fixture.host.root + "/srv/other.raw", with: mksquashfs)
        let engine = try fixture.engine()
        await #expect(throws: PortableError.self) {
            _ = try await engine.attach(
                AttachRequest(image: "rootdir", extensions: ["/srv/other.raw"], matches: ["app0"])
            )
        }
        let result = try await engine.attach(
            AttachRequest(image: "rootdir", extensions: ["/srv/app0.raw"], matches: ["app0"])
        )
        #expect(result.units == ["app0.service"])
        let dropIn = try #require(fixture.read("/etc/systemd/system.attached/app0.service.d/20-portable.conf"))
        #expect(dropIn.contains("RootDirectory=/var/lib/portables/rootdir\n"), "\(dropIn)")
        #expect(dropIn.contains("\nExtensionImages=/srv/app0.raw\n"), "\(dropIn)")
        #expect(!dropIn.contains("ExtensionDirectories="), "\(dropIn)")
        #expect(fixture.read("/etc/systemd/system.attached/app0.service") == Self.service)
        _ = try await engine.detach(DetachRequest(image: "rootdir", extensions: ["/srv/app0.raw"]))
        #expect(Self.loopDevicesBacked(by: fixture.host.root + "/srv/app0.raw") == 0)
    }

    @Test("a FIFO named .raw is refused without blocking")
    func fifoNamedRaw() async throws {
        let fixture = EngineFixture()
        fixture.host.fifo("var/lib/portables/pipe.raw")
        let engine = try fixture.engine()
        await #expect(throws: PortableError.badImageType(image: "/var/lib/portables/pipe.raw")) {
            _ = try await engine.attach(AttachRequest(image: "/var/lib/portables/pipe.raw"))
        }
    }
}
