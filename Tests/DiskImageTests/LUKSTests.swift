import Cryptsetup
import DiskImage
import Foundation
import TestSupport
import Testing

@Suite("LUKS2 through libcryptsetup", .enabled(if: loopDevicesAvailable, "needs root and /dev/loop-control"))
struct LUKSTests {
    /// Whether this kernel lets dm-crypt volumes be activated here: `cryptsetup open` of a scratch
    /// container, the same step the engine takes after the key checked out. /dev/mapper/control alone
    /// does not tell (a container may have it and still be refused the target).
    static let dmCryptActivates: Bool = {
        guard let fixture = try? RawFixture(), let path = try? luksImage(fixture) else { return false }
        let name = "berth-test-probe-\(getpid())"
        let arguments = ["open", "--type", "luks2", "--key-file=-", path, name]
        guard (try? RawImageTools.run("cryptsetup", arguments, input: Array("secret".utf8))) != nil else {
            return false
        }
        _ = try? RawImageTools.run("cryptsetup", ["close", name])
        return true
    }()

    /// Opening the (empty) container with the right key gets past the unlock and fails at the next
    /// step: without dm-crypt at activation (`DeviceMapperUnavailable`), with it at the volume's
    /// contents, which are only zeros (`UnsupportedFileSystem`). A key error fails the test.
    func expectUnlockedButEmpty(
        _ path: String,
        _ options: RawImageOptions,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let (identifier, detail) =
            Self.dmCryptActivates
            ? ("UnsupportedFileSystem", "the LUKS2 volume holds no recognised file system")
            : ("DeviceMapperUnavailable", "device-mapper not available")
        let error = expectImageError(identifier, sourceLocation: sourceLocation) {
            _ = try RawImage.open(path, options: options)
        }
        #expect(error?.description.contains(detail) == true, sourceLocation: sourceLocation)
    }

    /// A 20 MiB LUKS2 container, fast PBKDF, passphrase "secret".
    static func luksImage(_ fixture: RawFixture) throws -> String {
        let path = fixture.path("luks.raw")
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        try RawImageTools.run("truncate", ["-s", "20M", path])
        try RawImageTools.run(
            "cryptsetup",
            [
                "luksFormat", "--type", "luks2", "--batch-mode", "--pbkdf", "pbkdf2", "--pbkdf-force-iterations",
                "1000",
                "--key-file=-", path,
            ],
            input: Array("secret".utf8)
        )
        return path
    }

    @Test func rightPassphraseIsVerifiedBeforeDeviceMapperIsNeeded() throws {
        let fixture = try RawFixture()
        let path = try Self.luksImage(fixture)
        var options = RawImageOptions()
        options.passphrase = SecretBytes(utf8: "secret")
        expectUnlockedButEmpty(path, options)
        fixture.expectNothingLeftBehind()
    }

    @Test func wrongPassphraseIsReportedAsSuch() throws {
        let fixture = try RawFixture()
        let path = try Self.luksImage(fixture)
        var options = RawImageOptions()
        options.passphrase = SecretBytes(utf8: "wrong")
        let error = expectImageError("WrongKey") { _ = try RawImage.open(path, options: options) }
        #expect(error?.description.contains("secret") == false)
        fixture.expectNothingLeftBehind()
    }

    @Test func keyFileIsAccepted() throws {
        let fixture = try RawFixture()
        let path = try Self.luksImage(fixture)
        let keyFile = try fixture.write(Array("secret".utf8), to: "key")
        var options = RawImageOptions()
        options.keyFile = keyFile
        expectUnlockedButEmpty(path, options)
        options.keyFile = try fixture.write(Array("nope".utf8), to: "badkey")
        expectImageError("WrongKey") { _ = try RawImage.open(path, options: options) }
        fixture.expectNothingLeftBehind()
    }

    /// systemd-cryptsetup's key socket: connect from `@<random>/cryptsetup/<volume>`, read until EOF.
    @Test(.enabled(if: RawImageTools.isInstalled("python3"), "needs python3 for the key server"))
    func keySocketIsAccepted() throws {
        let fixture = try RawFixture()
        let path = try Self.luksImage(fixture)
        let socketPath = fixture.path("key.sock")
        let peerFile = fixture.path("peer")
        let server = Process()
        server.executableURL = URL(fileURLWithPath: RawImageTools.locate("python3")!)
        server.arguments = [
            "-c",
            """
            import socket, sys
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.bind(sys.argv[1]); s.listen(2); open(sys.argv[1] + ".listening", "w").close()
            for key in (b"secret", b"wrong"):
                c, _ = s.accept()
                open(sys.argv[2], "w").write(repr(c.getpeername()))
                c.sendall(key); c.close()
            """,
            socketPath, peerFile,
        ]
        try server.run()
        defer {
            if server.isRunning { server.terminate() }
            server.waitUntilExit()
        }
        // Its file appears at bind, before listen; a probe connect would take one of its two accepts.
        while !FileManager.default.fileExists(atPath: socketPath + ".listening"), server.isRunning { usleep(5_000) }
        var options = RawImageOptions()
        options.keyFile = socketPath
        expectUnlockedButEmpty(path, options)
        let peer = try String(contentsOfFile: peerFile, encoding: .utf8)
        #expect(peer.contains("/cryptsetup/luks.raw"), "peer address \(peer)")
        expectImageError("WrongKey") { _ = try RawImage.open(path, options: options) }
        fixture.expectNothingLeftBehind()
    }

    @Test func missingKeyAndTokensWithoutPlugins() throws {
        let fixture = try RawFixture()
        let path = try Self.luksImage(fixture)
        expectImageError("EncryptedNeedsKey") { _ = try RawImage.open(path) }
        var options = RawImageOptions()
        options.useTokens = true
        // No token enrolled: tokens cannot unlock, reported as "needs a key".
        expectImageError("EncryptedNeedsKey") { _ = try RawImage.open(path, options: options) }
        fixture.expectNothingLeftBehind()
    }

    @Test func garbageLUKSHeaderIsRefused() throws {
        let fixture = try RawFixture()
        var bytes = [UInt8](repeating: 0x42, count: 4 << 20)
        bytes.replaceSubrange(0..<6, with: [0x4C, 0x55, 0x4B, 0x53, 0xBA, 0xBE])
        bytes[6] = 0
        bytes[7] = 2
        let path = try fixture.write(bytes, to: "garbage-luks.raw")
        var options = RawImageOptions()
        options.passphrase = SecretBytes(utf8: "secret")
        expectImageError("InvalidEncryptionHeader") { _ = try RawImage.open(path, options: options) }
        fixture.expectNothingLeftBehind()
    }

    @Test func secretBytesAreRedactedAndWiped() {
        let secret = SecretBytes(utf8: "hunter2")
        #expect(!String(describing: secret).contains("hunter2"))
        secret.wipe()
        secret.withBytes { bytes in #expect(bytes.allSatisfy { $0 == 0 }) }
        #expect(secret.count == 7)
    }

    @Test func cryptDeviceDetectsHeaderType() throws {
        let fixture = try RawFixture()
        let path = try Self.luksImage(fixture)
        let device = try CryptDevice(device: path)
        try device.loadLUKS2()
        #expect(device.type == "LUKS2")
        #expect(device.uuid != nil)
        #expect(throws: LUKSUnlockFailure.wrongKey) { try device.unlock(passphrase: SecretBytes(utf8: "x")) }
        #expect(try device.unlock(passphrase: SecretBytes(utf8: "secret")) == 0)
    }
}
