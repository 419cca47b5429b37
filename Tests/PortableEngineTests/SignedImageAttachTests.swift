import Foundation
import PortableEngine
import TestSupport
import Testing

/// Signed dm-verity images through the engine in `--root` mode: the certificates come from the tree's
/// `/etc/verity.d`, a valid signature shows as `signed` (inspect, list, the pinned policy), and one
/// that does not validate leaves the image plain verity (systemd 262's fallback).
@Suite(
    "Signed dm-verity raw images",
    .enabled(if: access("/dev/loop-control", W_OK) == 0, "needs loop devices (root)"),
    .enabled(
        if: ["mksquashfs", "veritysetup", "openssl"].allSatisfy(RawImageTools.isInstalled),
        "needs mksquashfs, veritysetup and openssl"
    )
)
struct SignedImageAttachTests {
    static let service = "[Service]\nExecStart=/usr/bin/sg\n"

    /// `sg_1.raw` with `.verity`, `.roothash` and a `.roothash.p7s` by `signer` in the host tree's
    /// portables directory; `trusted` goes into the tree's `/etc/verity.d`.
    static func plant(_ fixture: EngineFixture, signer: String, trusted: String) throws -> String {
        let tree = ImageTreeBuilder(root: fixture.temp.join("sg-tree"))
        tree.portableImage(units: ["sg.service": service])
        let stem = fixture.host.root + "/var/lib/portables/sg_1"
        try RawImageTools.run("mksquashfs", [tree.root, stem + ".raw", "-quiet", "-noappend", "-all-root"])
        let output = try RawImageTools.run("veritysetup", ["format", stem + ".raw", stem + ".verity"])
        let line = try #require(output.split(separator: "\n").first { $0.hasPrefix("Root hash:") })
        let rootHash = line.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)
        try rootHash.write(toFile: stem + ".roothash", atomically: false, encoding: .utf8)
        let keys = fixture.temp.join("keys")
        try FileManager.default.createDirectory(atPath: keys, withIntermediateDirectories: true)
        let signing = try VeritySigningKey.selfSigned(signer, in: keys)
        let trust = signer == trusted ? signing : try VeritySigningKey.selfSigned(trusted, in: keys)
        try Data(signing.sign(rootHash)).write(to: URL(fileURLWithPath: stem + ".roothash.p7s"))
        let verityDirectory = fixture.host.root + "/etc/verity.d"
        try FileManager.default.createDirectory(atPath: verityDirectory, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: trust.certificatePath, toPath: verityDirectory + "/\(trusted).crt")
        return stem + ".raw"
    }

    @Test("a valid signature is signed in inspect, list and the pinned RootImagePolicy=")
    func signedImageAttaches() async throws {
        let fixture = EngineFixture()
        _ = try Self.plant(fixture, signer: "vendor", trusted: "vendor")
        let engine = try fixture.engine()
        let metadata = try engine.inspect(InspectRequest(image: "sg_1"))
        #expect(
            metadata.disk
                == DiskDetails(partitionTable: "none", fileSystem: "squashfs", verity: .signed, encryption: .none)
        )
        #expect(await engine.listImages().map(\.disk?.verity) == [.signed])
        _ = try await engine.attach(AttachRequest(image: "sg_1"))
        let dropIn = try #require(fixture.read("/etc/systemd/system.attached/sg.service.d/20-portable.conf"))
        #expect(dropIn.contains("RootImagePolicy=root=signed+squashfs:"), "\(dropIn)")
        _ = try await engine.detach(DetachRequest(image: "sg_1"))
    }

    @Test("a signature by a key the tree does not trust: attached as plain verity, as portabled 262")
    func untrustedSignatureAttachesAsVerity() async throws {
        let fixture = EngineFixture()
        _ = try Self.plant(fixture, signer: "intruder", trusted: "vendor")
        let engine = try fixture.engine()
        #expect(await engine.listImages().map(\.disk?.verity) == [.present])
        let metadata = try engine.inspect(InspectRequest(image: "sg_1"))
        #expect(metadata.disk?.verity == .verified)
        _ = try await engine.attach(AttachRequest(image: "sg_1"))
        let dropIn = try #require(fixture.read("/etc/systemd/system.attached/sg.service.d/20-portable.conf"))
        // portabled 262 pins a sidecar-verity squashfs as `signed` whatever its .p7s says.
        #expect(dropIn.contains("RootImagePolicy=root=signed+squashfs:"), "\(dropIn)")
        #expect(fixture.read("/etc/systemd/system.attached/sg.service") == Self.service)
        _ = try await engine.detach(DetachRequest(image: "sg_1"))
    }
}
