import Foundation
import PortableEngine
import TestSupport
import Testing

@Suite("Attach, inspect, state, list, detach")
struct AttachTests {
    static let service = "[Unit]\nDescription=Foo\n\n[Service]\nExecStart=/usr/bin/foo\n"
    static let socket = "[Socket]\nListenStream=/run/foo.sock\n"

    @Test("attach writes portabled's exact files; detach removes them all")
    func attachDetachRoundTrip() async throws {
        let fixture = EngineFixture()
        fixture.image(
            "foo_1",
            osRelease: "ID=debian\nVERSION_ID=12\n",
            units: [
                "foo.service": Self.service, "foo.socket": Self.socket, "other.service": Self.service,
            ]
        )
        let engine = try fixture.engine()
        let before = fixture.hostSnapshot()

        let result = try await engine.attach(AttachRequest(image: "foo_1"))
        #expect(result.units == ["foo.service", "foo.socket"])
        let dropIn = try #require(fixture.read("/etc/systemd/system.attached/foo.service.d/20-portable.conf"))
        #expect(
            dropIn == """
                # Drop-in created for image '/var/lib/portables/foo_1', do not edit.

                [Service]
                RootDirectory=/var/lib/portables/foo_1
                Environment=PORTABLE=foo_1
                LogExtraFields=PORTABLE=foo_1
                LogExtraFields=PORTABLE_NAME_AND_VERSION=debian_12

                """
        )
        #expect(
            fixture.read("/etc/systemd/system.attached/foo.socket.d/20-portable.conf")
                == "# Drop-in created for image '/var/lib/portables/foo_1', do not edit.\n"
        )
        #expect(fixture.read("/etc/systemd/system.attached/foo.service") == Self.service)
        #expect(fixture.read("/etc/systemd/system.attached/foo.socket") == Self.socket)
        #expect(!fixture.exists("/etc/systemd/system.attached/other.service"))
        // The profile is outside the offline tree, so it is copied (a symlink would dangle at boot).
        let profile = try String(
            contentsOfFile: EngineFixture.profilesDirectory + "/default/service.conf",
            encoding: .utf8
        )
        #expect(fixture.read("/etc/systemd/system.attached/foo.service.d/10-profile.conf") == profile)
        #expect(!fixture.exists("/etc/systemd/system.attached/foo.socket.d/10-profile.conf"))
        // Found by name in a search directory, and linked into /etc/portables all the same, as portabled does.
        #expect(fixture.linkTarget("/etc/portables/foo_1") == "/var/lib/portables/foo_1")
        #expect(result.changes.map(\.kind).contains(.write))
        #expect(result.changes.allSatisfy { $0.path.hasPrefix(fixture.host.root) })

        #expect(try await engine.state(image: "foo_1") == .attached)
        // Base-name matching (upstream quirk Q7, kept for compatibility): another version reads as attached.
        #expect(try await engine.state(image: "foo_2") == .attached)
        let listed = await engine.listImages()
        #expect(listed.map(\.name) == ["foo_1"])
        #expect(listed.first?.state == .attached)

        let detached = try await engine.detach(DetachRequest(image: "foo_1"))
        #expect(detached.units == ["foo.service", "foo.socket"])
        #expect(detached.changes.allSatisfy { $0.kind == .unlink })
        #expect(try await engine.state(image: "foo_1") == .detached)
        #expect(!fixture.exists("/etc/portables/foo_1"))
        var after = fixture.hostSnapshot()
        after.removeValue(forKey: "etc/systemd/system.attached")
        after.removeValue(forKey: "etc/systemd")
        after.removeValue(forKey: "etc/portables")
        #expect(after == before)
    }

    /// What portablectl 257 and 262 print for `attach demo` and `attach --runtime demo` with the image in
    /// /var/lib/portables, and for the same image given by path (lab, recorded).
    @Test("an image found by name or path in a search directory is linked into /etc|/run/portables; detach unlinks")
    func linkFromSearchDirectory() async throws {
        let fixture = EngineFixture()
        fixture.image("demo", units: ["demo.service": Self.service])
        let engine = try fixture.engine()
        let root = fixture.host.root
        for (image, runtime) in [("demo", false), ("/var/lib/portables/demo", false), ("demo", true)] {
            let portables = runtime ? "/run/portables" : "/etc/portables"
            let attached = try await engine.attach(AttachRequest(image: image, runtime: runtime))
            #expect(
                attached.changes.last?.description
                    == "Created symlink \(root)\(portables)/demo \u{2192} /var/lib/portables/demo.",
                "\(image)"
            )
            #expect(fixture.linkTarget(portables + "/demo") == "/var/lib/portables/demo")
            // Now found by name through the link, which portabled reports as the image's path.
            #expect(try engine.inspect(InspectRequest(image: "demo")).path == portables + "/demo")
            let detached = try await engine.detach(DetachRequest(image: image, runtime: runtime))
            #expect(
                detached.changes.suffix(2).map(\.description)
                    == [
                        "Removed \(root)\(portables)/demo.",
                        "Removed \(root)\(runtime ? "/run" : "/etc")/systemd/system.attached.",
                    ],
                "\(image)"
            )
            #expect(!fixture.exists(portables + "/demo"))
            #expect(fixture.exists("/var/lib/portables/demo/usr/lib/os-release"))
        }
    }

    @Test("an image outside the search path is linked into /etc/portables, extensions too, and unlinked on detach")
    func linkOutsideSearchPath() async throws {
        let fixture = EngineFixture()
        let image = ImageTreeBuilderShim.make(fixture, "/srv/images/app_2", units: ["app.service": Self.service])
        _ = image
        let engine = try fixture.engine()
        let result = try await engine.attach(AttachRequest(image: "/srv/images/app_2", runtime: true))
        #expect(fixture.linkTarget("/run/portables/app_2") == "/srv/images/app_2")
        #expect(
            result.changes.last
                == Change(kind: .symlink, path: fixture.host.root + "/run/portables/app_2", source: "/srv/images/app_2")
        )
        #expect(fixture.read("/run/systemd/system.attached/app.service") == Self.service)
        #expect(try await engine.state(image: "/srv/images/app_2") == .attachedRuntime)
        // Found by name through the link now, and the state follows.
        #expect(try await engine.state(image: "app_2") == .attachedRuntime)
        #expect(await engine.listImages().map(\.path) == ["/srv/images/app_2"])

        _ = try await engine.detach(DetachRequest(image: "app_2", runtime: true))
        #expect(!fixture.exists("/run/portables/app_2"))
        #expect(fixture.exists("/srv/images/app_2/usr/lib/os-release"))
    }

    @Test("copy modes place units and profiles as portabled does")
    func copyModes() async throws {
        let fixture = EngineFixture()
        fixture.image("foo", units: ["foo.service": Self.service])
        fixture.host.file("usr/lib/systemd/portable/profile/custom/service.conf", "[Service]\nPrivateTmp=yes\n")
        let engine = try fixture.engine()

        _ = try await engine.attach(AttachRequest(image: "foo", profile: "custom", copyMode: .symlink))
        #expect(
            fixture.linkTarget("/etc/systemd/system.attached/foo.service")
                == "/var/lib/portables/foo/usr/lib/systemd/system/foo.service"
        )
        #expect(
            fixture.linkTarget("/etc/systemd/system.attached/foo.service.d/10-profile.conf")
                == "/usr/lib/systemd/portable/profile/custom/service.conf"
        )
        _ = try await engine.detach(DetachRequest(image: "foo"))

        _ = try await engine.attach(AttachRequest(image: "foo", profile: "custom", copyMode: .copy))
        #expect(fixture.linkTarget("/etc/systemd/system.attached/foo.service.d/10-profile.conf") == nil)
        #expect(
            fixture.read("/etc/systemd/system.attached/foo.service.d/10-profile.conf") == "[Service]\nPrivateTmp=yes\n"
        )
        #expect(fixture.read("/etc/systemd/system.attached/foo.service") == Self.service)
        _ = try await engine.detach(DetachRequest(image: "foo"))
        #expect(!fixture.exists("/etc/systemd/system.attached/foo.service.d"))
    }

    @Test("mixed mode copies the image into the portables dir; detach removes only its own copy")
    func mixedMode() async throws {
        let fixture = EngineFixture()
        _ = ImageTreeBuilderShim.make(fixture, "/srv/app", units: ["app.service": Self.service])
        let engine = try fixture.engine()
        _ = try await engine.attach(AttachRequest(image: "/srv/app", copyMode: .mixed, runtime: true))
        #expect(fixture.read("/run/portables/app/usr/lib/systemd/system/app.service") == Self.service)
        #expect(fixture.linkTarget("/run/portables/app") == nil)
        _ = try await engine.detach(DetachRequest(image: "/srv/app", runtime: true))
        #expect(!fixture.exists("/run/portables/app"))
        #expect(fixture.exists("/srv/app/usr/lib/os-release"))
    }

    @Test("a .v/ directory stands for its newest version")
    func versionPick() async throws {
        let fixture = EngineFixture()
        ImageTreeBuilderShim.make(fixture, "/srv/app.v/app_1.9", units: ["app.service": Self.service])
        ImageTreeBuilderShim.make(fixture, "/srv/app.v/app_1.10", units: ["app.service": Self.service + "# new\n"])
        fixture.host.directory("srv/empty.v")
        let engine = try fixture.engine()
        let metadata = try engine.inspect(InspectRequest(image: "/srv/app.v/"))
        #expect(metadata.path == "/srv/app.v/app_1.10")
        _ = try await engine.attach(AttachRequest(image: "/srv/app.v/", matches: ["app"]))
        #expect(fixture.read("/etc/systemd/system.attached/app.service") == Self.service + "# new\n")
        #expect(throws: PortableError.self) { try engine.inspect(InspectRequest(image: "/srv/empty.v")) }
    }

    @Test("images stored directly in a portables dir survive detach (quirk Q1)")
    func imageInPortablesDirectorySurvives() async throws {
        let fixture = EngineFixture()
        _ = ImageTreeBuilderShim.make(fixture, "/etc/portables/keep", units: ["keep.service": Self.service])
        let engine = try fixture.engine()
        _ = try await engine.attach(AttachRequest(image: "keep"))
        _ = try await engine.detach(DetachRequest(image: "keep"))
        #expect(fixture.exists("/etc/portables/keep/usr/lib/os-release"))
    }

    @Test("unit already on the host, unknown profile, no matches, missing ID: clear errors, nothing written")
    func refusals() async throws {
        let fixture = EngineFixture()
        fixture.image("foo", units: ["foo.service": Self.service, "foo-helper.service": Self.service])
        fixture.image("noid", osRelease: "NAME=x\n", units: ["noid.service": Self.service])
        fixture.image("scoped", osRelease: "ID=x\nPORTABLE_SCOPE=bogus\n", units: ["scoped.service": Self.service])
        fixture.image(
            "prefixed",
            osRelease: "ID=x\nPORTABLE_PREFIXES=alpha beta\n",
            units: ["alpha.service": Self.service]
        )
        fixture.host.file("usr/lib/systemd/system/foo-helper.service", "[Service]\nExecStart=/bin/true\n")
        let engine = try fixture.engine()
        let before = fixture.hostSnapshot()

        await #expect(
            throws: PortableError.unitExists(
                unit: "foo-helper.service",
                path: fixture.host.root + "/usr/lib/systemd/system/foo-helper.service"
            )
        ) {
            _ = try await engine.attach(AttachRequest(image: "foo"))
        }
        let missing = "does not exist, refusing. (Available profiles are: default, nonetwork, strict, trusted)"
        await #expect(throws: PortableError.invalidProfile(profile: "nosuch", reason: missing)) {
            _ = try await engine.attach(AttachRequest(image: "foo", matches: ["foo"], profile: "nosuch", force: true))
        }
        await #expect(throws: PortableError.invalidProfile(profile: "../default", reason: "not a valid profile name")) {
            _ = try await engine.attach(AttachRequest(image: "foo", profile: "../default", force: true))
        }
        await #expect(throws: PortableError.noMatchingUnitFiles(image: "/var/lib/portables/foo", matches: ["bar"])) {
            _ = try await engine.attach(AttachRequest(image: "foo", matches: ["bar"]))
        }
        await #expect {
            _ = try await engine.attach(AttachRequest(image: "noid"))
        } throws: { error in
            guard case .badImage(_, let reason, let file) = error as? PortableError else { return false }
            return reason.contains("ID") && file == "/etc/os-release"
        }
        await #expect(
            throws: PortableError.invalidArgument(
                parameter: "image",
                reason: "Invalid PORTABLE_SCOPE value 'bogus' in image scoped."
            )
        ) {
            _ = try await engine.attach(AttachRequest(image: "scoped"))
        }
        await #expect {
            _ = try await engine.attach(AttachRequest(image: "prefixed", matches: ["gamma"]))
        } throws: { error in
            guard case .invalidArgument(_, let reason) = error as? PortableError else { return false }
            return reason.contains("alpha, beta")
        }
        await #expect(throws: PortableError.noSuchImage(image: "missing")) {
            _ = try await engine.attach(AttachRequest(image: "missing"))
        }
        await #expect(throws: PortableError.self) {
            _ = try await engine.attach(AttachRequest(image: "relative/path"))
        }
        await #expect(throws: PortableError.imageNotAttached(image: "foo")) {
            _ = try await engine.detach(DetachRequest(image: "foo"))
        }
        await #expect(throws: PortableError.noSuchImage(image: "missing")) {
            _ = try await engine.state(image: "missing")
        }
        #expect(fixture.hostSnapshot() == before)
    }

    @Test("several units attach all-or-nothing: a conflict on the second leaves nothing behind")
    func allOrNothing() async throws {
        let fixture = EngineFixture()
        fixture.image("foo", units: ["foo-a.service": Self.service, "foo-b.service": Self.service])
        // foo-b exists on the host: the whole attach is refused before anything is written.
        fixture.host.file("etc/systemd/system/foo-b.service", "[Service]\n")
        let engine = try fixture.engine()
        let before = fixture.hostSnapshot()
        await #expect(throws: PortableError.self) { _ = try await engine.attach(AttachRequest(image: "foo")) }
        #expect(fixture.hostSnapshot() == before)
    }

    @Test("an I/O error while preparing the second unit rolls back the first: nothing half-attached")
    func ioErrorRollsBack() async throws {
        let fixture = EngineFixture()
        fixture.image("foo", units: ["foo-a.service": Self.service, "foo-b.service": Self.service])
        // A plain file where foo-b's drop-in directory must go: writing into it fails (ENOTDIR).
        fixture.host.file("etc/systemd/system.attached/foo-b.service.d", "in the way\n")
        let engine = try fixture.engine()
        let before = fixture.hostSnapshot()
        await #expect {
            _ = try await engine.attach(AttachRequest(image: "foo"))
        } throws: { error in
            guard case .systemError(_, let path, _) = error as? PortableError else { return false }
            return path.hasSuffix("foo-b.service.d/20-portable.conf")
        }
        #expect(fixture.hostSnapshot() == before)
    }

    @Test("PORTABLE_PREFIXES selects units when no match is given; inspect retries with them")
    func declaredPrefixes() async throws {
        let fixture = EngineFixture()
        fixture.image(
            "mismatched-name",
            osRelease: "ID=x\nPORTABLE_PREFIXES=minimal-app0\nPORTABLE_PRETTY_NAME=\"App\"\n",
            units: ["minimal-app0.service": Self.service, "minimal-app0-foo.service": Self.service]
        )
        let engine = try fixture.engine()
        let metadata = try engine.inspect(InspectRequest(image: "mismatched-name"))
        #expect(metadata.units.map(\.name) == ["minimal-app0-foo.service", "minimal-app0.service"])
        #expect(metadata.osRelease["PORTABLE_PRETTY_NAME"] == "App")
        #expect(metadata.units.first?.contents == Self.service)
        let all = try engine.inspect(InspectRequest(image: "mismatched-name", matches: ["-"]))
        #expect(all.units.count == 2)
        let result = try await engine.attach(AttachRequest(image: "mismatched-name"))
        #expect(result.units == ["minimal-app0-foo.service", "minimal-app0.service"])
    }

    @Test("--now/--enable: sockets start before services; detach stops first; reload after")
    func serviceManagerOrdering() async throws {
        let fixture = EngineFixture()
        fixture.image(
            "foo",
            units: ["foo.service": Self.service, "foo.socket": Self.socket, "foo.timer": "[Timer]\nOnCalendar=daily\n"]
        )
        let manager = RecordingServiceManager()
        let engine = try fixture.engine(serviceManager: manager)
        let attached = try await engine.attach(AttachRequest(image: "foo", runtime: true, enable: true, now: true))
        // PID 1's report of the links it made, passed on for portablectl's "Created symlink '…' → '…'." lines.
        #expect(
            attached.installChanges.map(\.path)
                == ["foo.service", "foo.socket", "foo.timer"].map {
                    "/run/systemd/system.attached/multi-user.target.wants/" + $0
                }
        )
        #expect(
            manager.log == [
                "reload",
                "enable /run/systemd/system.attached/foo.service /run/systemd/system.attached/foo.socket /run/systemd/system.attached/foo.timer",
                "start foo.socket foo.timer", "start foo.service",
            ]
        )
        manager.activeUnits = ["foo.service"]
        #expect(try await engine.state(image: "foo") == .runningRuntime)
        await #expect(throws: PortableError.unitActive(unit: "foo.service")) {
            _ = try await engine.detach(DetachRequest(image: "foo", runtime: true))
        }
        // Triggers first, as started.
        #expect(attached.jobs.map(\.unit) == ["foo.socket", "foo.timer", "foo.service"])
        #expect(attached.jobs.allSatisfy { $0.method == "StartUnit" })
        let detached = try await engine.detach(DetachRequest(image: "foo", runtime: true, enable: true, now: true))
        #expect(detached.installChanges.map(\.kind) == [.unlink, .unlink, .unlink])
        #expect(detached.jobs.map(\.method) == ["StopUnit", "StopUnit", "StopUnit"])
        #expect(
            manager.log.suffix(4) == [
                "stop foo.socket foo.timer", "stop foo.service", "disable foo.service foo.socket foo.timer", "reload",
            ]
        )
    }

    @Test("--root: profile lookup prefers the tree's systemd dirs; paths written are as seen inside the tree")
    func rootModePaths() async throws {
        let fixture = EngineFixture()
        fixture.image("foo", units: ["foo.service": Self.service])
        fixture.host.file("etc/systemd/portable/profile/default/service.conf", "[Service]\nAdminOverride=yes\n")
        let engine = try fixture.engine()
        #expect(engine.profiles() == ["default", "nonetwork", "strict", "trusted"])
        _ = try await engine.attach(AttachRequest(image: "foo"))
        #expect(
            fixture.linkTarget("/etc/systemd/system.attached/foo.service.d/10-profile.conf")
                == "/etc/systemd/portable/profile/default/service.conf"
        )
        let dropIn = try #require(fixture.read("/etc/systemd/system.attached/foo.service.d/20-portable.conf"))
        #expect(!dropIn.contains(fixture.host.root))
    }

    @Test("remove refuses attached images and deletes detached ones; read-only marks the tree immutable")
    func removeAndReadOnly() async throws {
        let fixture = EngineFixture()
        fixture.image("foo", units: ["foo.service": Self.service])
        let engine = try fixture.engine()
        _ = try await engine.attach(AttachRequest(image: "foo"))
        await #expect(throws: PortableError.imageNotDetached(image: "/var/lib/portables/foo", state: .attached)) {
            try await engine.remove(image: "foo")
        }
        _ = try await engine.detach(DetachRequest(image: "foo"))
        try await engine.setReadOnly(image: "foo", readOnly: true)
        #expect(try await engine.image("foo").readOnly)
        #expect(await engine.listImages().first { $0.name == "foo" }?.readOnly == true)
        #expect(
            !FileManager.default.createFile(atPath: fixture.host.root + "/var/lib/portables/foo/new", contents: nil)
        )
        try await engine.setReadOnly(image: "foo", readOnly: false)
        #expect(try await engine.image("foo").readOnly == false)
        #expect(await engine.listImages().first { $0.name == "foo" }?.readOnly == false)
        try await engine.remove(image: "foo")
        #expect(!fixture.exists("/var/lib/portables/foo"))
        await #expect(throws: PortableError.noSuchImage(image: "foo")) { try await engine.remove(image: "foo") }
    }
}

/// Builds an image at an arbitrary tree path.
enum ImageTreeBuilderShim {
    @discardableResult
    static func make(
        _ fixture: EngineFixture,
        _ treePath: String,
        osRelease: String = "ID=debian\nVERSION_ID=12\n",
        units: [String: String]
    ) -> String {
        let builder = ImageTreeBuilder(root: fixture.host.root + treePath)
        builder.portableImage(osRelease: osRelease, units: units)
        return treePath
    }
}
