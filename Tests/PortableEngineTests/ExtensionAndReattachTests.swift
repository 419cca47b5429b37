import Foundation
import PortableEngine
import SystemCalls
import TestSupport
import Testing

@Suite("Extensions and reattach")
struct ExtensionAndReattachTests {
    static let service = "[Service]\nExecStart=/usr/bin/app\n"

    static func setAttribute(_ path: String, _ name: String, _ value: String) -> Bool {
        guard let fd = try? FileDescriptor.currentWorkingDirectory.openat(path, flags: [.readOnly]) else {
            return false
        }
        defer { fd.close() }
        return (try? fd.setExtendedAttribute(name, value: Array(value.utf8))) != nil
    }

    /// A root without units and two directory extensions carrying app0/app1, as TEST-29's directory case.
    private func layered(_ fixture: EngineFixture) {
        fixture.image("rootdir", osRelease: "ID=debian\nVERSION_ID=12\n", units: [:])
        let app0 = ImageTreeBuilder(root: fixture.host.root + "/srv/app0")
        app0.file(
            "usr/lib/extension-release.d/extension-release.app0",
            "ID=debian\nVERSION_ID=12\nSYSEXT_IMAGE_ID=app\n"
        )
        app0.file("usr/lib/systemd/system/app0.service", Self.service)
        let app1 = ImageTreeBuilder(root: fixture.host.root + "/srv/app1")
        app1.file(
            "usr/lib/extension-release.d/extension-release.app1",
            "ID=_any\nSYSEXT_IMAGE_ID=app\nSYSEXT_IMAGE_VERSION=1\nPORTABLE_PREFIXES=app1\n"
        )
        app1.file("usr/lib/systemd/system/app1.service", Self.service)
    }

    @Test("directory extensions: drop-in byte for byte, inspect, state, detach needs the same extensions")
    func directoryExtensions() async throws {
        let fixture = EngineFixture()
        layered(fixture)
        let engine = try fixture.engine()
        let request = AttachRequest(
            image: "rootdir",
            extensions: ["/srv/app0", "/srv/app1"],
            matches: ["app0", "app1"]
        )
        // app1 declares PORTABLE_PREFIXES=app1, so app0 must be listed by someone: it is not → refused.
        await #expect(throws: PortableError.self) { _ = try await engine.attach(request) }
        fixture.host.file(
            "srv/app0/usr/lib/extension-release.d/extension-release.app0",
            "ID=debian\nVERSION_ID=12\nSYSEXT_IMAGE_ID=app\nPORTABLE_PREFIXES=app0\n"
        )
        let result = try await engine.attach(request)
        #expect(result.units == ["app0.service", "app1.service"])
        let dropIn = try #require(fixture.read("/etc/systemd/system.attached/app1.service.d/20-portable.conf"))
        #expect(
            dropIn == """
                # Drop-in created for image '/var/lib/portables/rootdir:/srv/app0:/srv/app1', do not edit.

                [Service]
                RootDirectory=/var/lib/portables/rootdir
                Environment=PORTABLE=app1
                LogExtraFields=PORTABLE=app1
                Environment=PORTABLE_ROOT=rootdir
                LogExtraFields=PORTABLE_ROOT=rootdir
                LogExtraFields=PORTABLE_ROOT_NAME_AND_VERSION=debian_12

                ExtensionDirectories=/srv/app0
                LogExtraFields=PORTABLE_EXTENSION=app0
                LogExtraFields=PORTABLE_EXTENSION_NAME_AND_VERSION=app

                ExtensionDirectories=/srv/app1
                LogExtraFields=PORTABLE_EXTENSION=app1
                LogExtraFields=PORTABLE_EXTENSION_NAME_AND_VERSION=app_1

                """
        )
        #expect(fixture.linkTarget("/etc/portables/app0") == "/srv/app0")
        let metadata = try engine.inspect(
            InspectRequest(image: "rootdir", extensions: ["/srv/app0", "/srv/app1"], matches: ["app0", "app1"])
        )
        #expect(
            metadata.extensionReleases.map(\.path) == [
                "/usr/lib/extension-release.d/extension-release.app0",
                "/usr/lib/extension-release.d/extension-release.app1",
            ]
        )
        #expect(try await engine.state(image: "rootdir", extensions: ["app0"]) == .attached)
        await #expect(throws: PortableError.imageNotAttached(image: "rootdir")) {
            _ = try await engine.detach(DetachRequest(image: "rootdir"))
        }
        _ = try await engine.detach(DetachRequest(image: "rootdir", extensions: ["/srv/app0", "/srv/app1"]))
        #expect(try await engine.state(image: "/srv/app0") == .detached)
        #expect(!fixture.exists("/etc/portables/app0"))
    }

    @Test("extension-release: name mismatch needs --force or the strict=false xattr; escapes are confined")
    func extensionReleaseLookup() async throws {
        let fixture = EngineFixture()
        fixture.image("base", units: ["app.service": Self.service])
        let renamed = ImageTreeBuilder(root: fixture.host.root + "/srv/app10")
        renamed.file("usr/lib/extension-release.d/extension-release.app0", "ID=debian\nVERSION_ID=12\n")
        let versioned = ImageTreeBuilder(root: fixture.host.root + "/srv/app0_1.0")
        versioned.file("usr/lib/extension-release.d/extension-release.app0", "ID=debian\nVERSION_ID=12\n")
        let escaping = ImageTreeBuilder(root: fixture.host.root + "/srv/evil")
        escaping.symlink("usr/lib/extension-release.d/extension-release.evil", to: fixture.secretPath)
        let xattr = ImageTreeBuilder(root: fixture.host.root + "/srv/app2")
        let xattrFile = xattr.file("usr/lib/extension-release.d/extension-release.other", "ID=debian\nVERSION_ID=12\n")
        let hasXattr = Self.setAttribute(xattrFile, "user.extension-release.strict", "false")
        let wrongID = ImageTreeBuilder(root: fixture.host.root + "/srv/wrong")
        wrongID.file("usr/lib/extension-release.d/extension-release.wrong", "ID=fedora\nVERSION_ID=40\n")
        let engine = try fixture.engine()

        await #expect(throws: PortableError.self) {
            _ = try await engine.attach(AttachRequest(image: "base", extensions: ["/srv/app10"], matches: ["app"]))
        }
        _ = try await engine.attach(
            AttachRequest(image: "base", extensions: ["/srv/app10"], matches: ["app"], force: true)
        )
        _ = try await engine.detach(DetachRequest(image: "base", extensions: ["/srv/app10"]))
        _ = try await engine.attach(AttachRequest(image: "base", extensions: ["/srv/app0_1.0"], matches: ["app"]))
        _ = try await engine.detach(DetachRequest(image: "base", extensions: ["/srv/app0_1.0"]))
        if hasXattr {
            _ = try await engine.attach(AttachRequest(image: "base", extensions: ["/srv/app2"], matches: ["app"]))
            _ = try await engine.detach(DetachRequest(image: "base", extensions: ["/srv/app2"]))
        }
        await #expect {
            _ = try await engine.attach(
                AttachRequest(image: "base", extensions: ["/srv/evil"], matches: ["app"], force: true)
            )
        } throws: { error in
            !"\(error)".contains(EngineFixture.secret)
        }
        await #expect {
            _ = try await engine.attach(AttachRequest(image: "base", extensions: ["/srv/wrong"], matches: ["app"]))
        } throws: { error in
            guard case .badImage(let image, let reason, _) = error as? PortableError else { return false }
            return image == "/srv/wrong" && reason.contains("does not match")
        }
        #expect(try await engine.state(image: "base") == .detached)
    }

    @Test("reattach swaps versions in one step: vanished units removed, others updated, state kept")
    func reattach() async throws {
        let fixture = EngineFixture()
        fixture.image("app_1", units: ["app.service": Self.service, "app-old.service": Self.service])
        fixture.image("app_2", units: ["app.service": Self.service + "# v2\n", "app-new.service": Self.service])
        let manager = RecordingServiceManager()
        let engine = try fixture.engine(serviceManager: manager)
        _ = try await engine.attach(AttachRequest(image: "app_1", runtime: true))
        let result = try await engine.reattach(AttachRequest(image: "app_2", runtime: true, now: true))
        #expect(result.units == ["app-new.service", "app.service"])
        #expect(result.removed.map(\.path).contains(fixture.host.root + "/run/systemd/system.attached/app-old.service"))
        #expect(result.updated.contains { $0.path.hasSuffix("/app-new.service") && $0.kind == .copy })
        #expect(fixture.read("/run/systemd/system.attached/app.service") == Self.service + "# v2\n")
        #expect(!fixture.exists("/run/systemd/system.attached/app-old.service"))
        #expect(!fixture.exists("/run/systemd/system.attached/app-old.service.d"))
        #expect(
            fixture.read("/run/systemd/system.attached/app.service.d/20-portable.conf")?.contains(
                "RootDirectory=/var/lib/portables/app_2\n"
            ) == true
        )
        #expect(manager.log.contains("stop app-old.service"))
        #expect(manager.log.contains("restart app-new.service app.service"))
        #expect(try await engine.state(image: "app_2") == .attachedRuntime)
        // Nothing attached → reattach is an error and changes nothing.
        _ = try await engine.detach(DetachRequest(image: "app_2", runtime: true))
        await #expect(throws: PortableError.imageNotAttached(image: "app_1")) {
            _ = try await engine.reattach(AttachRequest(image: "app_1", runtime: true))
        }
        #expect(try await engine.state(image: "app_1") == .detached)
    }

    /// portablectl 257/262 `reattach --now --enable /srv/images/run` lists "Created symlink /etc/portables/run →
    /// /srv/images/run." among the updated changes: its detach removed the link, its attach made it again.
    @Test("reattach renews the image's portables link and reports it; a new version's link replaces the old one")
    func reattachRenewsTheImageLink() async throws {
        let fixture = EngineFixture()
        fixture.image("run_1", units: ["run.service": Self.service])
        fixture.image("run_2", units: ["run.service": Self.service])
        let engine = try fixture.engine()
        let root = fixture.host.root
        _ = try await engine.attach(AttachRequest(image: "run_1"))
        let same = try await engine.reattach(AttachRequest(image: "run_1"))
        #expect(
            same.updated.last?.description
                == "Created symlink \(root)/etc/portables/run_1 \u{2192} /var/lib/portables/run_1."
        )
        #expect(same.removed.isEmpty)
        #expect(fixture.linkTarget("/etc/portables/run_1") == "/var/lib/portables/run_1")
        let newer = try await engine.reattach(AttachRequest(image: "run_2"))
        #expect(newer.removed.map(\.description) == ["Removed \(root)/etc/portables/run_1."])
        #expect(
            newer.updated.last?.description
                == "Created symlink \(root)/etc/portables/run_2 \u{2192} /var/lib/portables/run_2."
        )
        #expect(!fixture.exists("/etc/portables/run_1"))
        #expect(fixture.linkTarget("/etc/portables/run_2") == "/var/lib/portables/run_2")
    }

    @Test("two versions sharing a base: detaching one set leaves the other attached (shared base)")
    func sharedBase() async throws {
        let fixture = EngineFixture()
        layered(fixture)
        fixture.host.file(
            "srv/app0/usr/lib/extension-release.d/extension-release.app0",
            "ID=debian\nVERSION_ID=12\nPORTABLE_PREFIXES=app0\n"
        )
        let engine = try fixture.engine()
        _ = try await engine.attach(
            AttachRequest(image: "rootdir", extensions: ["/srv/app0"], matches: ["app0"], runtime: true)
        )
        _ = try await engine.attach(
            AttachRequest(image: "rootdir", extensions: ["/srv/app1"], matches: ["app1"], runtime: true)
        )
        await #expect(throws: PortableError.self) {
            _ = try await engine.detach(DetachRequest(image: "rootdir", runtime: true))
        }
        _ = try await engine.detach(DetachRequest(image: "rootdir", extensions: ["/srv/app0"], runtime: true))
        #expect(try await engine.state(image: "rootdir", extensions: ["/srv/app1"]) == .attachedRuntime)
        #expect(fixture.exists("/run/systemd/system.attached/app1.service"))
        #expect(!fixture.exists("/run/systemd/system.attached/app0.service"))
        #expect(fixture.linkTarget("/run/portables/app1") == "/srv/app1")
        #expect(!fixture.exists("/run/portables/app0"))
    }
}
