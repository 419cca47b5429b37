import Foundation
import PortableEngine
import TestSupport
import Testing

/// The user scope (portabled 260's `--user`) in a temp tree: the user's directories decide where images
/// are found and attachments go, images declare `PORTABLE_SCOPE=user`, units come from the image's
/// user unit directories, and detach leaves the tree as it was.
@Suite("User scope")
struct UserScopeTests {
    static let service = "[Service]\nExecStart=/usr/bin/app\n"
    static let user = UserDirectories(home: "/home/u", runtimeDirectory: "/run/user/1000")
    static let userRelease = "ID=debian\nVERSION_ID=12\nPORTABLE_SCOPE=user\n"

    /// A user manager that only answers its unit search path (the rest as `OfflineServiceManager`).
    struct UnitPathManager: ServiceManager {
        var unitPath: [String]
        var isAvailable: Bool { true }
        func unitSearchPath() async throws -> [String]? { unitPath }
        func reload() async throws {}
        func start(_ units: [String], wait: Bool) async throws -> [QueuedJob] { [] }
        func stop(_ units: [String], wait: Bool) async throws -> [QueuedJob] { [] }
        func restart(_ units: [String], wait: Bool) async throws -> [QueuedJob] { [] }
        func enable(unitFiles: [String], runtime: Bool) async throws -> [Change] { [] }
        func disable(_ units: [String], runtime: Bool) async throws -> [Change] { [] }
        func isActive(_ unit: String) async throws -> Bool { false }
        func unitFileState(_ unit: String) async throws -> String? { nil }
    }

    /// An engine on the fixture's tree serving `/home/u`'s user scope. The tree gets what a user session
    /// has (`~/.config/systemd`, `$XDG_RUNTIME_DIR/systemd`) and the link directories portabled creates on
    /// first use and never removes, so before/after snapshots compare what attach adds.
    static func userEngine(
        _ fixture: EngineFixture,
        serviceManager: any ServiceManager = OfflineServiceManager()
    ) throws -> PortableEngine {
        for directory in [
            "home/u/.config/systemd", "home/u/.config/portables", "run/user/1000/systemd", "run/user/1000/portables",
        ] {
            fixture.host.directory(directory)
        }
        let configuration = try EngineConfiguration(
            root: fixture.host.root,
            scope: .user,
            user: user,
            berthProfileDirectories: [EngineFixture.profilesDirectory]
        )
        return try PortableEngine(configuration: configuration, serviceManager: serviceManager)
    }

    /// The tree without lock files.
    static func snapshot(_ fixture: EngineFixture) -> [String: String] {
        fixture.host.snapshot(excluding: ["run/berth", "run/user/1000/berth"])
    }

    /// A directory image with user units in the user's pool (`~/.local/state/portables`).
    @discardableResult
    static func userImage(_ fixture: EngineFixture, _ name: String, osRelease: String = userRelease) -> String {
        let path = "/home/u/.local/state/portables/" + name
        let builder = ImageTreeBuilder(root: fixture.host.root + path)
        builder.file("usr/lib/os-release", osRelease)
        builder.file("usr/lib/systemd/user/\(name).service", service)
        return path
    }

    @Test("the user's paths: search path, attach targets, profiles, unit path (systemd 262's order), pool")
    func layout() {
        let layout = ScopeLayout.user(Self.user)
        #expect(
            layout.searchPaths == [
                "/run/user/1000/portables", "/home/u/.local/state/portables", "/home/u/.local/lib/portables",
            ]
        )
        #expect(layout.persistentAttachedDirectory == "/home/u/.config/systemd/user.attached")
        #expect(layout.runtimeAttachedDirectory == "/run/user/1000/systemd/user.attached")
        #expect(layout.persistentPortablesDirectory == "/home/u/.config/portables")
        #expect(layout.runtimePortablesDirectory == "/run/user/1000/portables")
        #expect(layout.profileDirectories.first == "/home/u/.config/systemd/portable/profile")
        #expect(layout.profileDirectories.last == "/usr/lib/systemd/user/portable/profile")
        // `systemd-analyze --user unit-paths` of systemd 262 for HOME=/home/u, XDG_RUNTIME_DIR=/run/user/1000.
        #expect(
            layout.hostUnitDirectories == [
                "/home/u/.config/systemd/user.control", "/run/user/1000/systemd/user.control",
                "/run/user/1000/systemd/transient", "/run/user/1000/systemd/generator.early",
                "/home/u/.config/systemd/user", "/home/u/.config/systemd/user.attached", "/etc/systemd/user",
                "/run/user/1000/systemd/user", "/run/user/1000/systemd/user.attached", "/run/systemd/user",
                "/run/user/1000/systemd/generator", "/home/u/.local/share/systemd/user",
                "/usr/local/share/systemd/user", "/usr/share/systemd/user", "/usr/local/lib/systemd/user",
                "/usr/lib/systemd/user", "/run/user/1000/systemd/generator.late",
            ]
        )
        #expect(layout.poolDirectory == "/home/u/.local/state/portables")
        #expect(layout.lockDirectory == "/run/user/1000/berth/locks")
        #expect(ScopeLayout.system.persistentAttachedDirectory == "/etc/systemd/system.attached")
    }

    @Test("XDG variables: defaults, overrides, relative values ignored, no runtime directory is an error")
    func environment() throws {
        let defaults = try UserDirectories.from(environment: ["HOME": "/home/u", "XDG_RUNTIME_DIR": "/run/user/7"])
        #expect(defaults == UserDirectories(home: "/home/u", runtimeDirectory: "/run/user/7"))
        #expect(defaults.configHome == "/home/u/.config")
        let custom = try UserDirectories.from(environment: [
            "HOME": "/home/u", "XDG_RUNTIME_DIR": "/run/user/7", "XDG_CONFIG_HOME": "/srv/cfg",
            "XDG_STATE_HOME": "relative/state",
        ])
        #expect(custom.configHome == "/srv/cfg")
        #expect(custom.stateHome == "/home/u/.local/state")
        #expect(ScopeLayout.user(custom).persistentAttachedDirectory == "/srv/cfg/systemd/user.attached")
        #expect(
            throws: PortableError.invalidArgument(
                parameter: "scope",
                reason:
                    "user scope needs $XDG_RUNTIME_DIR set to an absolute path (is a user session or lingering on?)."
            )
        ) {
            _ = try UserDirectories.from(environment: ["HOME": "/home/u"])
        }
    }

    @Test("attach writes below ~/.config/systemd/user.attached with the user profile; detach restores the tree")
    func attachDetach() async throws {
        let fixture = EngineFixture()
        Self.userImage(fixture, "app")
        let engine = try Self.userEngine(fixture)
        let before = Self.snapshot(fixture)
        let result = try await engine.attach(AttachRequest(image: "app"))
        #expect(result.units == ["app.service"])
        let attached = "/home/u/.config/systemd/user.attached/app.service"
        #expect(fixture.read(attached) == Self.service)
        let dropIn = try #require(fixture.read(attached + ".d/20-portable.conf"))
        #expect(dropIn.contains("RootDirectory=/home/u/.local/state/portables/app\n"))
        let profile = try #require(fixture.read(attached + ".d/10-profile.conf"))
        let settings = profile.split(separator: "\n").filter { !$0.hasPrefix("#") }
        #expect(settings.contains("MountAPIVFS=yes"))
        #expect(!settings.contains { $0.hasPrefix("DynamicUser=") || $0.hasPrefix("ProtectHome=") })
        #expect(!fixture.exists("/etc/systemd/system.attached"))
        #expect(try await engine.state(image: "app") == .attached)
        #expect(await engine.listImages().map(\.name) == ["app"])
        _ = try await engine.detach(DetachRequest(image: "app"))
        #expect(Self.snapshot(fixture) == before)

        _ = try await engine.attach(AttachRequest(image: "app", runtime: true))
        #expect(fixture.exists("/run/user/1000/systemd/user.attached/app.service"))
        #expect(try await engine.state(image: "app") == .attachedRuntime)
        _ = try await engine.detach(DetachRequest(image: "app", runtime: true))
        #expect(Self.snapshot(fixture) == before)
    }

    @Test("a user manager that does not search user.attached (systemd < 260): refused, nothing written")
    func managerWithoutAttachedDirectories() async throws {
        let fixture = EngineFixture()
        Self.userImage(fixture, "app")
        let layout = ScopeLayout.user(Self.user)
        let old = layout.hostUnitDirectories.filter { !$0.hasSuffix("/user.attached") }
        let engine = try Self.userEngine(fixture, serviceManager: UnitPathManager(unitPath: old))
        let before = Self.snapshot(fixture)
        await #expect(
            throws: PortableError.notSupported(
                reason: "The user's service manager does not load units from /run/user/1000/systemd/user.attached "
                    + "(systemd < 260), refusing. Add it to SYSTEMD_UNIT_PATH= of the user's user@UID.service "
                    + "(README, User scope)."
            )
        ) { _ = try await engine.attach(AttachRequest(image: "app", runtime: true)) }
        #expect(Self.snapshot(fixture) == before)
        let current = try Self.userEngine(
            fixture,
            serviceManager: UnitPathManager(unitPath: layout.hostUnitDirectories)
        )
        _ = try await current.attach(AttachRequest(image: "app", runtime: true, noReload: true))
        _ = try await current.detach(DetachRequest(image: "app", runtime: true, noReload: true))
        #expect(Self.snapshot(fixture) == before)
    }

    @Test("PORTABLE_SCOPE=: portabled's refusals both ways, 'any' fits both, nothing written")
    func portableScope() async throws {
        let fixture = EngineFixture()
        Self.userImage(fixture, "plain", osRelease: "ID=debian\n")
        Self.userImage(fixture, "anywhere", osRelease: "ID=debian\nPORTABLE_SCOPE=any\n")
        fixture.image("mine", osRelease: Self.userRelease, units: ["mine.service": Self.service])
        let user = try Self.userEngine(fixture)
        let system = try fixture.engine()
        let before = Self.snapshot(fixture)
        await #expect(
            throws: PortableError.invalidArgument(
                parameter: "image",
                reason: "Image plain portable scope 'system' incompatible with portabled runtime scope 'user'."
            )
        ) { _ = try await user.attach(AttachRequest(image: "plain")) }
        await #expect(
            throws: PortableError.invalidArgument(
                parameter: "image",
                reason: "Image mine portable scope 'user' incompatible with portabled runtime scope 'system'."
            )
        ) { _ = try await system.attach(AttachRequest(image: "mine")) }
        #expect(Self.snapshot(fixture) == before)
        _ = try await user.attach(AttachRequest(image: "anywhere", runtime: true))
        _ = try await user.detach(DetachRequest(image: "anywhere", runtime: true))
        #expect(Self.snapshot(fixture) == before)
    }

    @Test("a user-scope call naming a system image or unit: clear errors, nothing attached or written")
    func systemPathsRefused() async throws {
        let fixture = EngineFixture()
        // A system image (no PORTABLE_SCOPE=) named by its path, and one whose units are system units only.
        fixture.image("sysimg", units: ["sysimg.service": Self.service])
        fixture.image("sysunits", osRelease: Self.userRelease, units: ["sysunits.service": Self.service])
        Self.userImage(fixture, "app")
        fixture.host.file("home/u/.config/systemd/user/app.service", "[Service]\nExecStart=/bin/true\n")
        let engine = try Self.userEngine(fixture)
        let before = Self.snapshot(fixture)
        await #expect(
            throws: PortableError.invalidArgument(
                parameter: "image",
                reason: "Image /var/lib/portables/sysimg portable scope 'system' incompatible with portabled "
                    + "runtime scope 'user'."
            )
        ) { _ = try await engine.attach(AttachRequest(image: "/var/lib/portables/sysimg")) }
        await #expect(throws: PortableError.noSuchImage(image: "sysimg")) {
            _ = try await engine.attach(AttachRequest(image: "sysimg"))
        }
        await #expect(
            throws: PortableError.noMatchingUnitFiles(image: "/var/lib/portables/sysunits", matches: ["sysunits"])
        ) { _ = try await engine.attach(AttachRequest(image: "/var/lib/portables/sysunits")) }
        await #expect(
            throws: PortableError.unitExists(
                unit: "app.service",
                path: fixture.host.root + "/home/u/.config/systemd/user/app.service"
            )
        ) { _ = try await engine.attach(AttachRequest(image: "app")) }
        #expect(Self.snapshot(fixture) == before)
    }

    @Test(
        "raw images: unsigned ones only from a trusted system directory, signed ones from anywhere",
        .enabled(if: access("/dev/loop-control", W_OK) == 0, "needs loop devices (root)"),
        .enabled(if: ["mksquashfs", "veritysetup", "openssl"].allSatisfy(RawImageTools.isInstalled), "needs tools")
    )
    func rawImageRule() async throws {
        let fixture = EngineFixture()
        let tree = ImageTreeBuilder(root: fixture.temp.join("raw-tree"))
        tree.file("usr/lib/os-release", Self.userRelease)
        tree.file("usr/lib/systemd/user/rw.service", Self.service)
        let pool = fixture.host.root + "/home/u/.local/state/portables"
        try FileManager.default.createDirectory(atPath: pool, withIntermediateDirectories: true)
        let squash = ["-quiet", "-noappend", "-all-root"]
        try RawImageTools.run("mksquashfs", [tree.root, pool + "/rw.raw"] + squash)
        try RawImageTools.run("mksquashfs", [tree.root, fixture.host.root + "/var/lib/portables/rw.raw"] + squash)
        let engine = try Self.userEngine(fixture)
        let before = Self.snapshot(fixture)
        await #expect {
            _ = try await engine.attach(AttachRequest(image: "rw", runtime: true))
        } throws: { error in
            guard case .badImage(let image, let reason, nil) = error as? PortableError else { return false }
            return image == "/home/u/.local/state/portables/rw.raw" && reason.contains("signature")
                && reason.contains("/var/lib/portables")
        }
        #expect(Self.snapshot(fixture) == before)
        // The same file in /var/lib/portables is trusted by location.
        _ = try await engine.attach(AttachRequest(image: "/var/lib/portables/rw.raw", runtime: true))
        _ = try await engine.detach(DetachRequest(image: "/var/lib/portables/rw.raw", runtime: true))

        // Signed: trusted anywhere.
        let stem = pool + "/rw"
        let output = try RawImageTools.run("veritysetup", ["format", stem + ".raw", stem + ".verity"])
        let line = try #require(output.split(separator: "\n").first { $0.hasPrefix("Root hash:") })
        let rootHash = line.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)
        try rootHash.write(toFile: stem + ".roothash", atomically: false, encoding: .utf8)
        let keys = fixture.temp.join("keys")
        try FileManager.default.createDirectory(atPath: keys, withIntermediateDirectories: true)
        let key = try VeritySigningKey.selfSigned("vendor", in: keys)
        try Data(key.sign(rootHash)).write(to: URL(fileURLWithPath: stem + ".roothash.p7s"))
        try FileManager.default.createDirectory(
            atPath: fixture.host.root + "/etc/verity.d",
            withIntermediateDirectories: true
        )
        try FileManager.default.copyItem(atPath: key.certificatePath, toPath: fixture.host.root + "/etc/verity.d/v.crt")
        _ = try await engine.attach(AttachRequest(image: "rw", runtime: true))
        #expect(fixture.exists("/run/user/1000/systemd/user.attached/rw.service"))
        _ = try await engine.detach(DetachRequest(image: "rw", runtime: true))
    }
}
