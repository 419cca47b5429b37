import Foundation
import PortableEngine
import TestSupport
import Testing

/// btrfs subvolume images, on a real btrfs file system in a loop-mounted file.
@Suite("Subvolume images")
struct SubvolumeImageTests {
    static let tools = ["/usr/bin/mkfs.btrfs", "/usr/sbin/mkfs.btrfs", "/sbin/mkfs.btrfs", "/bin/mkfs.btrfs"]
    static var mkfs: String? { tools.first { access($0, X_OK) == 0 } }
    static var btrfs: String? { ["/usr/bin/btrfs", "/bin/btrfs", "/usr/sbin/btrfs"].first { access($0, X_OK) == 0 } }
    static var available: Bool {
        mkfs != nil && btrfs != nil && getuid() == 0 && access("/dev/loop-control", W_OK) == 0
    }

    @discardableResult
    private static func run(_ tool: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    @Test(
        "a subvolume is detected as such, attaches with RootDirectory=, and read-only sets the subvolume flag",
        .enabled(if: available, "needs mkfs.btrfs, btrfs, loop devices and root")
    )
    func subvolume() async throws {
        let temp = TempDirectory(prefix: "berth-btrfs")
        let file = temp.join("fs.img")
        let mountPoint = temp.join("mnt")
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        let fd = open(file, O_CREAT | O_WRONLY, 0o600)
        try #require(fd >= 0)
        ftruncate(fd, 128 << 20)
        close(fd)
        try #require(try Self.run(try #require(Self.mkfs), ["-q", file]) == 0)
        try #require(try Self.run("/bin/mount", ["-o", "loop", file, mountPoint]) == 0)
        defer { _ = try? Self.run("/bin/umount", [mountPoint]) }

        let host = ImageTreeBuilder(root: mountPoint)
        host.directory("var/lib/portables")
        host.directory("run")
        try #require(
            try Self.run(try #require(Self.btrfs), ["subvolume", "create", mountPoint + "/var/lib/portables/sub"]) == 0
        )
        ImageTreeBuilder(root: mountPoint + "/var/lib/portables/sub").portableImage(units: [
            "sub.service": "[Service]\nExecStart=/x\n"
        ])
        host.directory("var/lib/portables/plain")
        ImageTreeBuilder(root: mountPoint + "/var/lib/portables/plain").portableImage(units: [
            "plain.service": "[Service]\n"
        ])

        let engine = try PortableEngine(
            configuration: EngineConfiguration(
                root: mountPoint,
                berthProfileDirectories: [EngineFixture.profilesDirectory]
            )
        )
        let kinds = Dictionary(uniqueKeysWithValues: await engine.listImages().map { ($0.name, $0.kind) })
        #expect(kinds == ["sub": .subvolume, "plain": .directory])
        _ = try await engine.attach(AttachRequest(image: "sub", runtime: true))
        let dropIn = try String(
            contentsOfFile: mountPoint + "/run/systemd/system.attached/sub.service.d/20-portable.conf",
            encoding: .utf8
        )
        #expect(dropIn.contains("RootDirectory=/var/lib/portables/sub\n"))
        _ = try await engine.detach(DetachRequest(image: "sub", runtime: true))
        try await engine.setReadOnly(image: "sub", readOnly: true)
        #expect(try await engine.image("sub").readOnly)
        let listed = await engine.listImages().first { $0.name == "sub" }
        #expect(listed?.kind == .subvolume && listed?.readOnly == true)
        try await engine.setReadOnly(image: "sub", readOnly: false)
        #expect(try await engine.image("sub").readOnly == false)
        try await engine.remove(image: "sub")
        #expect(access(mountPoint + "/var/lib/portables/sub", F_OK) != 0)
    }
}
