import Foundation
import PortableEngine
import SystemCalls
import TestSupport
import Testing

/// Images reached through an `/etc|/run/portables` entry, as the e2e session found portabled treat them:
/// the entry is the image's path, `read-only` does not follow a linked directory, and a reattach replaces
/// the entry by what its own copy mode makes.
@Suite("Portables links and copies as portabled")
struct PortablesLinkTests {
    static let service = "[Service]\nExecStart=/usr/bin/app\n"

    @Test("found by name through a /run/portables link, the image's path is the link (inspect, image)")
    func linkIsThePath() async throws {
        let fixture = EngineFixture()
        ImageTreeBuilderShim.make(fixture, "/srv/app", units: ["app.service": Self.service])
        fixture.host.directory("run/portables")
        fixture.host.symlink("run/portables/app", to: "/srv/app")
        let engine = try fixture.engine()
        #expect(try engine.inspect(InspectRequest(image: "app")).path == "/run/portables/app")
        let image = try await engine.image("app")
        #expect(image.path == "/run/portables/app")
        #expect(image.kind == .directory)
        // By path it is the path given.
        #expect(try engine.inspect(InspectRequest(image: "/srv/app")).path == "/srv/app")
    }

    @Test("read-only refuses a directory image found through a link (ELOOP); a linked raw file is changed")
    func readOnlyThroughLink() async throws {
        let fixture = EngineFixture()
        ImageTreeBuilderShim.make(fixture, "/srv/app", units: ["app.service": Self.service])
        fixture.host.file("srv/blob.raw", "not really a disk\n")
        fixture.host.directory("run/portables")
        fixture.host.symlink("run/portables/app", to: "/srv/app")
        fixture.host.symlink("run/portables/blob.raw", to: "/srv/blob.raw")
        let engine = try fixture.engine()
        do {
            try await engine.setReadOnly(image: "app", readOnly: true)
            Issue.record("read-only followed the link to /srv/app")
        } catch {
            guard case .systemError(let operation, let path, let underlying) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(operation == "mark read-only")
            #expect(path == fixture.host.root + "/run/portables/app")
            #expect(underlying.errno == ELOOP, "\(underlying)")
        }
        #expect(try await !engine.image("app").readOnly)
        // portabled's chmod follows the link: the raw file itself becomes read-only.
        try await engine.setReadOnly(image: "blob", readOnly: true)
        let attributes = try FileManager.default.attributesOfItem(atPath: fixture.host.root + "/srv/blob.raw")
        #expect((attributes[.posixPermissions] as? Int).map { $0 & 0o222 } == 0)
        try await engine.setReadOnly(image: "blob", readOnly: false)
        let writable = try FileManager.default.attributesOfItem(atPath: fixture.host.root + "/srv/blob.raw")
        #expect((writable[.posixPermissions] as? Int).map { $0 & 0o200 } == 0o200)
    }

    @Test("reattach replaces a mixed copy by a link, and a link by a copy with --copy=mixed")
    func reattachFollowsItsCopyMode() async throws {
        let fixture = EngineFixture()
        ImageTreeBuilderShim.make(fixture, "/srv/app", units: ["app.service": Self.service])
        let engine = try fixture.engine()
        let entry = "/run/portables/app"
        _ = try await engine.attach(AttachRequest(image: "/srv/app", copyMode: .mixed, runtime: true))
        #expect(fixture.linkTarget(entry) == nil)
        #expect(fixture.read(entry + "/usr/lib/systemd/system/app.service") == Self.service)

        let linked = try await engine.reattach(AttachRequest(image: "/srv/app", runtime: true))
        #expect(fixture.linkTarget(entry) == "/srv/app")
        #expect(linked.updated.contains(Change(kind: .symlink, path: fixture.host.root + entry, source: "/srv/app")))
        #expect(!linked.removed.contains { $0.path.hasSuffix(entry) })

        let copied = try await engine.reattach(AttachRequest(image: "/srv/app", copyMode: .mixed, runtime: true))
        #expect(fixture.linkTarget(entry) == nil)
        #expect(fixture.read(entry + "/usr/lib/systemd/system/app.service") == Self.service)
        #expect(copied.updated.contains { $0.kind == .copy && $0.path == fixture.host.root + entry })

        // A copy is renewed by the next mixed reattach, and still removed by detach; the image stays.
        _ = try await engine.reattach(AttachRequest(image: "/srv/app", copyMode: .mixed, runtime: true))
        #expect(fixture.read(entry + "/usr/lib/systemd/system/app.service") == Self.service)
        _ = try await engine.detach(DetachRequest(image: "/srv/app", runtime: true))
        #expect(!fixture.exists(entry))
        #expect(fixture.exists("/srv/app/usr/lib/os-release"))
    }

    @Test("reattach leaves a portables entry alone that was not made for the image")
    func reattachKeepsForeignEntries() async throws {
        let fixture = EngineFixture()
        ImageTreeBuilderShim.make(fixture, "/srv/app", units: ["app.service": Self.service])
        let engine = try fixture.engine()
        _ = try await engine.attach(AttachRequest(image: "/srv/app", runtime: true))
        // An admin's own tree now stands where the link was.
        try FileManager.default.removeItem(atPath: fixture.host.root + "/run/portables/app")
        fixture.host.file("run/portables/app/mine", "admin's\n")
        _ = try await engine.reattach(AttachRequest(image: "/srv/app", copyMode: .mixed, runtime: true))
        #expect(fixture.read("/run/portables/app/mine") == "admin's\n")
        #expect(!fixture.exists("/run/portables/app/usr"))
    }
}
