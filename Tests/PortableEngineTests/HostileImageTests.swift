import Foundation
import PortableEngine
import TestSupport
import Testing

extension Result {
    fileprivate var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}

/// Hostile images: every in-image lookup stays inside the image, bad files give clear errors naming
/// them, no host content leaks, nothing is written outside the target directories.
@Suite("Hostile images")
struct HostileImageTests {
    static let service = "[Service]\nExecStart=/usr/bin/foo\n"

    /// Runs inspect and attach on a fresh fixture whose image `evil` was shaped by `shape`; returns the
    /// errors (nil where the operation succeeded) and checks the invariants every case must keep.
    private func probe(
        osRelease: String = "ID=debian\n",
        units: [String: String] = ["evil.service": Self.service],
        _ shape: (ImageTreeBuilder, EngineFixture) -> Void
    ) async throws -> (inspect: PortableError?, attach: PortableError?, outputs: [String]) {
        let fixture = EngineFixture()
        // Something attached before must survive every failed attempt.
        fixture.image("good", units: ["good.service": Self.service])
        let engine = try fixture.engine()
        _ = try await engine.attach(AttachRequest(image: "good"))
        let image = fixture.image("evil", osRelease: osRelease, units: units)
        shape(image, fixture)
        let before = fixture.hostSnapshot()
        var outputs: [String] = []
        let inspected = Result { () throws(PortableError) in
            try engine.inspect(InspectRequest(image: "evil", matches: ["-"]))
        }
        switch inspected {
        case .success(let metadata):
            outputs.append(metadata.osRelease.contents)
            outputs += metadata.units.map(\.contents)
        case .failure(let error):
            outputs.append(error.description)
        }
        let attached = await Self.attachAndDetach(engine)
        switch attached {
        case .success(let texts):
            outputs += texts
            // Whatever a successful attach wrote, it wrote only into the target directories.
            let after = fixture.hostSnapshot()
            let written = Set(after.keys).union(before.keys).filter { after[$0] != before[$0] }
            let allowed = ["etc/systemd/system.attached", "etc/portables", "etc/systemd"]
            #expect(
                written.allSatisfy { path in allowed.contains { path == $0 || path.hasPrefix($0 + "/") } },
                "\(written)"
            )
        case .failure(let error):
            outputs.append(error.description)
            #expect(fixture.hostSnapshot() == before, "a failed attach changed the host")
        }
        let inspectError = inspected.failure
        let attachError = attached.failure
        #expect(!EngineFixture.leaks(outputs), "host secret leaked")
        #expect(fixture.read("/etc/systemd/system.attached/good.service") == Self.service)
        #expect(try await engine.state(image: "good") == .attached)
        return (inspectError, attachError, outputs)
    }

    /// Attach (forced, so only the image's own problems count), collect every output, detach again.
    private static func attachAndDetach(_ engine: PortableEngine) async -> Result<[String], PortableError> {
        do {
            let result = try await engine.attach(AttachRequest(image: "evil", force: true))
            var texts = result.changes.map(\.description) + result.warnings + result.skippedEntries
            for change in result.changes where change.kind == .copy || change.kind == .write {
                texts.append((try? String(contentsOfFile: change.path, encoding: .utf8)) ?? "")
            }
            _ = try await engine.detach(DetachRequest(image: "evil"))
            return .success(texts)
        } catch {
            return .failure(error)
        }
    }

    private func file(of error: PortableError?) -> String? {
        if case .badImage(_, _, let file) = error { return file }
        return nil
    }

    @Test("os-release symlinks escaping the image resolve inside it")
    func osReleaseEscape() async throws {
        let absolute = try await probe { image, fixture in
            image.symlink("etc/os-release", to: fixture.secretPath)
            try? FileManager.default.removeItem(atPath: image.root + "/usr/lib/os-release")
        }
        #expect(file(of: absolute.inspect) == "/usr/lib/os-release")
        let relative = try await probe { image, _ in
            image.symlink("etc/os-release", to: "../../../../../../../../etc/shadow")
            image.symlink("usr/lib/os-release", to: "/etc/shadow")
        }
        #expect(relative.inspect != nil && relative.attach != nil)
    }

    /// The notice attach records (for the log) for a unit entry it skips.
    static func skipped(_ unit: String, _ reason: String) -> String {
        "Unit file '/usr/lib/systemd/system/\(unit)' of image '/var/lib/portables/evil' \(reason), ignoring."
    }

    @Test("unit symlinks pointing at host files resolve inside the image: skipped (logged only), as portabled 262")
    func unitEscape() async throws {
        for target in ["/etc/shadow", "../../../../../../../etc/shadow", "/../../etc/shadow"] {
            let result = try await probe { image, _ in
                image.symlink("usr/lib/systemd/system/evil-x.service", to: target)
            }
            #expect(result.inspect == nil && result.attach == nil, "\(target)")
            let warning = Self.skipped("evil-x.service", "is a symlink that does not resolve inside the image")
            #expect(result.outputs.contains(warning), "\(result.outputs)")
            #expect(!result.outputs.contains { $0.contains("evil-x.service \u{2192}") })
        }
    }

    @Test("a unit symlink inside the image is followed inside the image")
    func innerSymlinkIsFine() async throws {
        let result = try await probe { image, _ in
            image.file("opt/real.service", "[Service]\nExecStart=/opt/real\n")
            image.symlink("usr/lib/systemd/system/evil-real.service", to: "/opt/real.service")
        }
        #expect(result.inspect == nil && result.attach == nil)
        #expect(result.outputs.contains("[Service]\nExecStart=/opt/real\n"))
        // The change names the entry read, as portabled 262 does ("Copied …/evil-real.service → …").
        let entry = "/var/lib/portables/evil/usr/lib/systemd/system/evil-real.service \u{2192} "
        #expect(result.outputs.contains { $0.hasPrefix("Copied ") && $0.contains(entry) }, "\(result.outputs)")
    }

    @Test("unit directory symlinked out of the image is confined too")
    func unitDirectoryEscape() async throws {
        let result = try await probe(units: [:]) { image, fixture in
            fixture.host.file("srv/hostunits/evil-host.service", EngineFixture.secret + "\n")
            image.symlink("etc/systemd/system", to: "/srv/hostunits")
            image.symlink("usr/lib/systemd/system", to: "../../../../../../../srv/hostunits")
        }
        // Resolved inside the image these directories do not exist: no units.
        if case .noMatchingUnitFiles = result.attach {
        } else {
            Issue.record("expected NoMatchingUnitFiles, got \(String(describing: result.attach))")
        }
    }

    @Test("symlink loops and absolute chains end in a clear error")
    func loops() async throws {
        let loop = try await probe { image, _ in
            image.symlink("usr/lib/systemd/system/evil-loop.service", to: "/usr/lib/systemd/system/evil-loop.service")
        }
        #expect(loop.inspect == nil && loop.attach == nil)
        let unresolved = "is a symlink that does not resolve inside the image"
        #expect(loop.outputs.contains(Self.skipped("evil-loop.service", unresolved)))
        let chain = try await probe { image, _ in
            image.symlink("a1", to: "/a2")
            image.symlink("a2", to: "/a3")
            image.symlink("a3", to: "/etc/shadow")
            image.symlink("usr/lib/systemd/system/evil-chain.service", to: "/a1")
        }
        #expect(chain.inspect == nil && chain.attach == nil)
        #expect(chain.outputs.contains(Self.skipped("evil-chain.service", unresolved)))
        let osLoop = try await probe { image, _ in
            image.symlink("etc/os-release", to: "/etc/os-release")
        }
        #expect(file(of: osLoop.inspect) == "/etc/os-release")
    }

    @Test("unit FIFOs, devices and directories are skipped (logged); huge and sparse files refused unread")
    func specialFiles() async throws {
        let fifo = try await probe { image, _ in image.fifo("usr/lib/systemd/system/evil-fifo.service") }
        #expect(fifo.inspect == nil && fifo.attach == nil)
        #expect(fifo.outputs.contains(Self.skipped("evil-fifo.service", "is not a regular file or symlink")))
        let directory = try await probe { image, _ in _ = image.directory("usr/lib/systemd/system/evil-dir.service") }
        #expect(directory.outputs.contains(Self.skipped("evil-dir.service", "is not a regular file or symlink")))
        let linkedFIFO = try await probe { image, _ in
            image.fifo("opt/pipe")
            image.symlink("usr/lib/systemd/system/evil-pipe.service", to: "/opt/pipe")
        }
        #expect(linkedFIFO.attach == nil)
        #expect(
            linkedFIFO.outputs.contains(Self.skipped("evil-pipe.service", "is a symlink to a FIFO inside the image"))
        )
        let fifoRelease = try await probe { image, _ in
            try? FileManager.default.removeItem(atPath: image.root + "/etc/os-release")
            try? FileManager.default.removeItem(atPath: image.root + "/usr/lib/os-release")
            image.fifo("usr/lib/os-release")
        }
        #expect(file(of: fifoRelease.inspect) == "/usr/lib/os-release")
        let device = try await probe { image, _ in
            image.characterDevice("usr/lib/systemd/system/evil-zero.service", major: 1, minor: 5)
        }
        #expect(device.inspect == nil && device.attach == nil)
        #expect(device.outputs.contains(Self.skipped("evil-zero.service", "is not a regular file or symlink")))
        let sparse = try await probe { image, _ in
            image.sparseFile("usr/lib/systemd/system/evil-sparse.service", size: 1 << 40)
        }
        #expect(file(of: sparse.inspect) == "/usr/lib/systemd/system/evil-sparse.service")
        let huge = try await probe { image, _ in
            try? FileManager.default.removeItem(atPath: image.root + "/etc/os-release")
            image.bytes("usr/lib/os-release", Array(repeating: UInt8(ascii: "#"), count: 200_000))
        }
        #expect(file(of: huge.inspect) == "/usr/lib/os-release")
    }

    @Test("control characters and invalid UTF-8 in unit files are refused")
    func controlCharacters() async throws {
        let escape = try await probe(units: ["evil.service": "[Service]\nExecStart=/x\u{1B}]0;owned\u{07}\n"]) { _, _ in
        }
        #expect(file(of: escape.attach) == "/usr/lib/systemd/system/evil.service")
        let nul = try await probe { image, _ in
            image.bytes("usr/lib/systemd/system/evil-nul.service", Array("[Service]\n".utf8) + [0] + Array("x\n".utf8))
        }
        #expect(file(of: nul.inspect) == "/usr/lib/systemd/system/evil-nul.service")
        let utf8 = try await probe { image, _ in
            image.bytes("usr/lib/systemd/system/evil-bad.service", [0x5B, 0xFF, 0xFE, 0x0A])
        }
        #expect(file(of: utf8.inspect) == "/usr/lib/systemd/system/evil-bad.service")
    }

    /// os-release is read with systemd's grammar, as portablectl reads it (a control character in a value
    /// is kept, a quoted value may span lines), but no such value reaches a drop-in.
    @Test("control characters and multi-line values in os-release never reach a drop-in")
    func releaseValuesStayOutOfDropIns() async throws {
        let escape = try await probe(osRelease: "ID=debian\nPRETTY_NAME=\"\u{1B}[2J\"\n") { _, _ in }
        #expect(escape.inspect == nil)
        #expect(escape.attach == nil)
        // outputs[0] is the os-release itself; the rest are what attach wrote.
        #expect(escape.outputs.count > 1)
        #expect(!escape.outputs.dropFirst().contains { $0.contains("\u{1B}") })
        let multiLine = try await probe(
            osRelease: "ID='debian\n[Service]\nExecStartPre=/bin/evil'\nVERSION_ID=\"1\nExecStartPost=/bin/evil\"\n"
        ) { _, _ in }
        #expect(multiLine.inspect == nil)
        #expect(multiLine.attach == nil)
        #expect(multiLine.outputs.count > 1)
        #expect(!multiLine.outputs.dropFirst().contains { $0.contains("/bin/evil") })
    }

    @Test("setuid unit files are copied as plain 0644 files")
    func setuidUnit() async throws {
        let fixture = EngineFixture()
        let image = fixture.image("suid", units: [:])
        image.file("usr/lib/systemd/system/suid.service", Self.service, mode: 0o4755)
        let engine = try fixture.engine()
        _ = try await engine.attach(AttachRequest(image: "suid"))
        var status = stat()
        #expect(lstat(fixture.host.root + "/etc/systemd/system.attached/suid.service", &status) == 0)
        #expect(status.st_mode & 0o7777 == 0o644)
    }

    @Test("names with traversal are refused before touching the file system")
    func traversalNames() async throws {
        let fixture = EngineFixture()
        let engine = try fixture.engine()
        let before = fixture.hostSnapshot()
        for image in ["../etc", "foo/../../etc", "/var/lib/portables/../../../etc", "/var/lib/./x", ".#hidden"] {
            await #expect(throws: PortableError.self, "\(image)") {
                _ = try await engine.attach(AttachRequest(image: image))
            }
        }
        fixture.image("foo", units: ["foo.service": Self.service])
        for match in ["../foo", "a/b", ""] {
            await #expect(throws: PortableError.self, "\(match)") {
                _ = try await engine.attach(AttachRequest(image: "foo", matches: [match]))
            }
        }
        await #expect(throws: PortableError.self) {
            _ = try await engine.attach(AttachRequest(image: "foo", profile: "../../../../etc"))
        }
        var after = fixture.hostSnapshot()
        after = after.filter { !$0.key.hasPrefix("var/lib/portables/foo") }
        #expect(after == before)
    }

    @Test("a unit swapped for a FIFO between listing and reading is skipped: with no other unit, nothing matches")
    func imageChangingWhileRead() async throws {
        let result = try await probe { image, _ in
            // Listed as a regular file by readdir on some file systems, a FIFO by the time it is opened:
            // either way the O_PATH + fstat check refuses it without blocking.
            try? FileManager.default.removeItem(atPath: image.root + "/usr/lib/systemd/system/evil.service")
            image.fifo("usr/lib/systemd/system/evil.service")
        }
        #expect(result.inspect == .noMatchingUnitFiles(image: "/var/lib/portables/evil", matches: []))
        #expect(result.attach == .noMatchingUnitFiles(image: "/var/lib/portables/evil", matches: ["evil"]))
    }
}
