import DiskImage
import Foundation
import Glibc
import SystemCalls
import TestSupport
import Testing

@Suite(
    "dm-verity root hash signatures checked against verity.d",
    .enabled(if: loopDevicesAvailable, "needs root and /dev/loop-control"),
    .enabled(if: RawImageTools.isInstalled("openssl"), "needs the openssl command to make throwaway keys")
)
struct VeritySignatureTests {
    /// A squashfs with `.verity`/`.roothash` sidecars, a key tree `keys/` (the `--root`) whose
    /// `/etc/verity.d` trusts `trusted`, and options pointing there (no shared cache).
    struct Signed {
        let fixture: RawFixture
        let image: String
        let rootHash: String
        let keyRoot: String
        let trusted: VeritySigningKey
        var options: RawImageOptions

        init() throws {
            fixture = try RawFixture()
            image = try fixture.squashfs("app.raw")
            rootHash = try fixture.verityFormat(data: image, hash: fixture.path("app.verity"))
            try rootHash.write(toFile: fixture.path("app.roothash"), atomically: false, encoding: .utf8)
            let keys = try fixture.trustedVerityKeys(named: "trusted")
            keyRoot = keys.keyRoot
            trusted = keys.key
            options = RawImageOptions()
            options.verityCache = nil
            options.verityKeyRoot = keyRoot
        }

        func writeSignature(_ bytes: [UInt8]) throws {
            _ = try fixture.write(bytes, to: "app.roothash.p7s")
        }

        /// Opens the image and expects it verity-checked but not signed: systemd 262 activates a volume
        /// whose signature does not validate as unsigned verity when the policy permits that.
        func expectPlainVerity(sourceLocation: SourceLocation = #_sourceLocation) throws {
            let image = try RawImage.open(self.image, options: options)
            defer { image.close() }
            #expect(image.summary.verity?.signaturePresent == true, sourceLocation: sourceLocation)
            #expect(image.summary.verity?.signed == false, sourceLocation: sourceLocation)
            #expect(image.summary.verity?.signer == nil, sourceLocation: sourceLocation)
            #expect(!image.summary.isSigned, sourceLocation: sourceLocation)
            #expect(try readInImage(image, "etc/marker") == "hello", sourceLocation: sourceLocation)
        }
    }

    @Test func validSidecarSignatureMakesTheImageSignedThenCached() throws {
        var setup = try Signed()
        try setup.writeSignature(setup.trusted.sign(setup.rootHash))
        let cache = VerityCache()
        setup.options.verityCache = cache
        let first = try RawImage.open(setup.image, options: setup.options)
        #expect(first.summary.verity?.signed == true)
        #expect(first.summary.isSigned)
        #expect(first.summary.verity?.signer == setup.keyRoot + "/etc/verity.d/trusted.crt")
        #expect(first.summary.verity?.fromCache == false)
        #expect(first.summary.pinnedImagePolicy == "root=signed+squashfs:=absent")
        #expect(try readInImage(first, "etc/marker") == "hello")
        first.close()
        let second = try RawImage.open(setup.image, options: setup.options)
        #expect(second.summary.verity?.fromCache == true)
        #expect(second.summary.isSigned)
        second.close()
        // With the key gone the signature no longer validates, cached or not: plain verity.
        try FileManager.default.removeItem(atPath: setup.keyRoot + "/etc/verity.d/trusted.crt")
        try setup.expectPlainVerity()
        setup.fixture.expectNothingLeftBehind()
    }

    @Test("a signature by an untrusted key leaves the image plain verity (systemd 262's fallback)")
    func signatureByAnUntrustedKeyIsPlainVerity() throws {
        let setup = try Signed()
        let intruder = try VeritySigningKey.selfSigned("intruder", in: setup.fixture.directory)
        try setup.writeSignature(intruder.sign(setup.rootHash))
        try setup.expectPlainVerity()
        try setup.writeSignature(intruder.sign(setup.rootHash, includeCertificate: false))
        try setup.expectPlainVerity()
        setup.fixture.expectNothingLeftBehind()
    }

    @Test("a signature over another root hash does not make the image signed")
    func signatureOverAnotherRootHashIsPlainVerity() throws {
        let setup = try Signed()
        let other = String(setup.rootHash.reversed())
        try setup.writeSignature(setup.trusted.sign(other))
        try setup.expectPlainVerity()
        // The hash text with a trailing newline is other content too (systemd signs the bare hex).
        try setup.writeSignature(setup.trusted.sign(setup.rootHash + "\n"))
        try setup.expectPlainVerity()
        setup.fixture.expectNothingLeftBehind()
    }

    @Test func truncatedGarbageOrEmptySignatureIsRefused() throws {
        let setup = try Signed()
        let valid = try setup.trusted.sign(setup.rootHash)
        var generator = SystemRandomNumberGenerator()
        let garbage = (0..<700).map { _ in UInt8.random(in: 0...255, using: &generator) }
        for bytes in [Array(valid.prefix(valid.count / 2)), Array(valid.prefix(3)), garbage, []] {
            try setup.writeSignature(bytes)
            let error = expectImageError("VeritySignatureInvalid") {
                _ = try RawImage.open(setup.image, options: setup.options)
            }
            #expect(
                error?.description.contains("app.roothash.p7s is not a DER-encoded PKCS#7") == true,
                "\(String(describing: error))"
            )
        }
        // A sidecar far too large to be a signature is refused before anything is attached.
        try setup.writeSignature([UInt8](repeating: 0x30, count: 70 * 1024))
        let large = expectImageError("VeritySignatureInvalid") {
            _ = try RawImage.open(setup.image, options: setup.options)
        }
        #expect(large?.description.contains("larger than 64 KiB") == true)
        setup.fixture.expectNothingLeftBehind()
    }

    /// systemd's check trusts the signer's own certificate only: a CA in verity.d does not vouch for
    /// the keys it issued, and certificates carried inside the signature are not trusted.
    @Test func caInVerityDirectoryDoesNotTrustTheKeysItIssued() throws {
        let setup = try Signed()
        let authority = try VeritySigningKey.selfSigned("authority", in: setup.fixture.directory)
        let leaf = try VeritySigningKey.issued("leaf", by: authority, in: setup.fixture.directory)
        try FileManager.default.copyItem(
            atPath: authority.certificatePath,
            toPath: setup.keyRoot + "/etc/verity.d/ca.crt"
        )
        try setup.writeSignature(leaf.sign(setup.rootHash))
        try setup.expectPlainVerity()
        try FileManager.default.copyItem(atPath: leaf.certificatePath, toPath: setup.keyRoot + "/etc/verity.d/leaf.crt")
        let image = try RawImage.open(setup.image, options: setup.options)
        #expect(image.summary.verity?.signer == setup.keyRoot + "/etc/verity.d/leaf.crt")
        image.close()
        setup.fixture.expectNothingLeftBehind()
    }

    @Test func junkInKeyDirectoriesIsSkippedAndMaskingHides() throws {
        let setup = try Signed()
        try setup.writeSignature(setup.trusted.sign(setup.rootHash))
        let etc = setup.keyRoot + "/etc/verity.d"
        let usr = setup.keyRoot + "/usr/lib/verity.d"
        try FileManager.default.createDirectory(atPath: usr, withIntermediateDirectories: true)
        try "garbage, not PEM".write(toFile: etc + "/garbage.crt", atomically: false, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: etc + "/directory.crt", withIntermediateDirectories: true)
        #expect(mkfifo(etc + "/fifo.crt", 0o644) == 0)  // opening it for reading would block
        try "a readme".write(toFile: etc + "/README", atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(
            atPath: etc + "/dangling.crt",
            withDestinationPath: "/nonexistent/x.crt"
        )
        let image = try RawImage.open(setup.image, options: setup.options)
        #expect(image.summary.isSigned)
        image.close()

        // The certificate only in /usr/lib/verity.d, masked by an empty file of the same name in /etc.
        try FileManager.default.moveItem(atPath: etc + "/trusted.crt", toPath: usr + "/trusted.crt")
        // A directory of that name in /etc is not a file and hides nothing.
        try FileManager.default.createDirectory(atPath: etc + "/trusted.crt", withIntermediateDirectories: true)
        let unmasked = try RawImage.open(setup.image, options: setup.options)
        #expect(unmasked.summary.verity?.signer == usr + "/trusted.crt")
        unmasked.close()
        try FileManager.default.removeItem(atPath: etc + "/trusted.crt")
        _ = FileManager.default.createFile(atPath: etc + "/trusted.crt", contents: Data())
        try setup.expectPlainVerity()
        setup.fixture.expectNothingLeftBehind()
    }

    /// Links in the key directories resolve inside the key root: one pointing at a certificate outside
    /// it finds nothing (plain verity), one naming a path that exists inside it finds that.
    @Test func symlinksInKeyDirectoriesStayInsideTheRoot() throws {
        let setup = try Signed()
        try setup.writeSignature(setup.trusted.sign(setup.rootHash))
        let etc = setup.keyRoot + "/etc/verity.d"
        try FileManager.default.removeItem(atPath: etc + "/trusted.crt")
        // The trusted certificate sits outside the key root, where both links point.
        try FileManager.default.createSymbolicLink(
            atPath: etc + "/absolute.crt",
            withDestinationPath: setup.trusted.certificatePath
        )
        try FileManager.default.createSymbolicLink(
            atPath: etc + "/relative.crt",
            withDestinationPath: "../../../trusted.crt"
        )
        let before = try FileManager.default.contentsOfDirectory(atPath: setup.fixture.directory).sorted()
        try setup.expectPlainVerity()
        #expect(try FileManager.default.contentsOfDirectory(atPath: setup.fixture.directory).sorted() == before)

        // The same absolute link, with the path present inside the root: that file is the one read.
        let inside = setup.keyRoot + setup.trusted.certificatePath
        try FileManager.default.createDirectory(
            atPath: (inside as NSString).deletingLastPathComponent,
            withIntermediateDirectories: true
        )
        try FileManager.default.copyItem(atPath: setup.trusted.certificatePath, toPath: inside)
        let image = try RawImage.open(setup.image, options: setup.options)
        #expect(image.summary.verity?.signer == etc + "/absolute.crt")
        image.close()
        setup.fixture.expectNothingLeftBehind()
    }

    @Test func probeReportsAValidSignatureOnly() throws {
        let setup = try Signed()
        try setup.writeSignature(setup.trusted.sign(setup.rootHash))
        func probe() throws -> ImageProbe {
            let file = try FileDescriptor.currentWorkingDirectory.openat(setup.image, flags: [.path])
            defer { file.close() }
            return try RawImage.probe(file: file, path: setup.image, options: setup.options)
        }
        #expect(try probe().signed)
        try setup.writeSignature(setup.trusted.sign("00" + setup.rootHash.dropFirst(2)))
        let refused = try probe()
        #expect(refused.signaturePresent && !refused.signed)
        setup.fixture.expectNothingLeftBehind()
    }
}
