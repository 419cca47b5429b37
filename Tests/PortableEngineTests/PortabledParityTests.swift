import Foundation
import PortableEngine
import TestSupport
import Testing

/// Engine behaviour matched to portabled 262 after the differential suite found it different: versioned
/// directories in the search path, hidden images, `--copy=symlink` targets and skipped unit entries.
@Suite("Engine behaviour as portabled 262")
struct PortabledParityTests {
    static let service = "[Service]\nExecStart=/usr/bin/app\n"

    @Test("a versioned NAME.v/ in the search path is listed and attached as NAME, its newest version")
    func versionedDirectoryInSearchPath() async throws {
        let fixture = EngineFixture()
        fixture.image("app.v/app_1.9", units: ["app.service": Self.service])
        fixture.image("app.v/app_1.10", units: ["app.service": Self.service + "# new\n"])
        fixture.image("app.v/other_7", units: ["app.service": Self.service])
        // A versioned directory with no matching entry is no image at all.
        fixture.host.directory("var/lib/portables/none.v")
        let engine = try fixture.engine()
        let listed = await engine.listImages()
        #expect(listed.map(\.name) == ["app"], "\(listed)")
        #expect(listed.first?.path == "/var/lib/portables/app.v/app_1.10")
        #expect(listed.first?.kind == .directory)
        let byName = try await engine.image("app")
        #expect(byName.name == "app" && byName.path == "/var/lib/portables/app.v/app_1.10")

        _ = try await engine.attach(AttachRequest(image: "app"))
        #expect(fixture.read("/etc/systemd/system.attached/app.service") == Self.service + "# new\n")
        let dropIn = try #require(fixture.read("/etc/systemd/system.attached/app.service.d/20-portable.conf"))
        #expect(dropIn.contains("RootDirectory=/var/lib/portables/app.v/app_1.10\n"), "\(dropIn)")
        #expect(fixture.linkTarget("/etc/portables/app_1.10") == "/var/lib/portables/app.v/app_1.10")
        #expect(try await engine.state(image: "app") == .attached)
        _ = try await engine.detach(DetachRequest(image: "app"))
        #expect(!fixture.exists("/etc/systemd/system.attached/app.service"))
        await #expect(throws: PortableError.noSuchImage(image: "none")) { _ = try await engine.image("none") }
    }

    @Test("hidden images (a name starting with a dot) are read-only, whatever their files say")
    func hiddenImagesAreReadOnly() async throws {
        let fixture = EngineFixture()
        fixture.image(".hidden", units: ["hidden.service": Self.service])
        fixture.image("shown", units: ["shown.service": Self.service])
        let engine = try fixture.engine()
        let listed = await engine.listImages()
        #expect(listed.map(\.name) == [".hidden", "shown"])
        #expect(listed.map(\.readOnly) == [true, false])
        #expect(try await engine.image(".hidden").readOnly)
        #expect(try await !engine.image("shown").readOnly)
    }

    @Test("--copy=symlink links the unit entry when the host reaches the same file; else the in-image target")
    func symlinkCopyTargets() async throws {
        let fixture = EngineFixture()
        let image = fixture.image("app", units: ["app-plain.service": Self.service])
        image.file("etc/units/app-rel.service", Self.service)
        image.file("etc/units/app-abs.service", Self.service)
        // Relative and inside the image: the host follows it to the same file.
        image.symlink("usr/lib/systemd/system/app-rel.service", to: "../../../../etc/units/app-rel.service")
        // Absolute: followed on the host it would name the host's /etc/units/app-abs.service.
        image.symlink("usr/lib/systemd/system/app-abs.service", to: "/etc/units/app-abs.service")
        fixture.host.file("etc/units/app-abs.service", "[Service]\nExecStart=/host/only\n")
        let engine = try fixture.engine()
        let result = try await engine.attach(AttachRequest(image: "app", copyMode: .symlink))
        #expect(result.units == ["app-abs.service", "app-plain.service", "app-rel.service"])
        let attached = "/etc/systemd/system.attached/"
        let units = "/var/lib/portables/app/usr/lib/systemd/system/"
        #expect(fixture.linkTarget(attached + "app-plain.service") == units + "app-plain.service")
        #expect(fixture.linkTarget(attached + "app-rel.service") == units + "app-rel.service")
        #expect(
            fixture.linkTarget(attached + "app-abs.service") == "/var/lib/portables/app/etc/units/app-abs.service"
        )
    }

    @Test("skipped unit entries are reported for the log only, never as warnings")
    func skippedEntriesAreNotWarnings() async throws {
        let fixture = EngineFixture()
        let image = fixture.image("app", units: ["app.service": Self.service])
        image.symlink("usr/lib/systemd/system/app-gone.service", to: "/nowhere")
        image.directory("usr/lib/systemd/system/app-dir.service")
        let engine = try fixture.engine()
        let result = try await engine.attach(AttachRequest(image: "app"))
        #expect(result.units == ["app.service"])
        #expect(result.warnings.isEmpty, "\(result.warnings)")
        let prefix = "Unit file '/usr/lib/systemd/system/"
        let ofImage = "of image '/var/lib/portables/app'"
        #expect(
            result.skippedEntries == [
                prefix + "app-dir.service' \(ofImage) is not a regular file or symlink, ignoring.",
                prefix + "app-gone.service' \(ofImage) is a symlink that does not resolve inside the image, ignoring.",
            ]
        )
    }
}
