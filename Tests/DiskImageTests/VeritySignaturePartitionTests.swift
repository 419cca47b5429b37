import DiskImage
import Foundation
import TestSupport
import Testing

@Suite(
    "dm-verity signature partitions (root-verity-sig, usr-verity-sig)",
    .enabled(if: loopDevicesAvailable, "needs root and /dev/loop-control"),
    .enabled(if: RawImageTools.isInstalled("openssl"), "needs the openssl command to make throwaway keys")
)
struct VeritySignaturePartitionTests {
    /// A DPS disk as systemd-repart writes it: data, verity and signature partitions, the partition
    /// UUIDs carrying the root hash. `signature` is the signature partition's payload.
    struct Disk {
        let fixture: RawFixture
        let rootHash: String
        let keyRoot: String
        let trusted: VeritySigningKey
        let designator: PartitionDesignator
        var options: RawImageOptions
        let data: [UInt8]
        let tree: [UInt8]

        init(_ designator: PartitionDesignator) throws {
            self.designator = designator
            fixture = try RawFixture()
            let file = try fixture.squashfs("fs.sqsh")
            var bytes = try fixture.read(file)
            bytes += [UInt8](repeating: 0, count: (4096 - bytes.count % 4096) % 4096)
            _ = try fixture.write(bytes, to: "fs.sqsh")
            data = bytes
            rootHash = try fixture.verityFormat(data: file, hash: fixture.path("fs.verity"))
            tree = try fixture.read(fixture.path("fs.verity"))
            let keys = try fixture.trustedVerityKeys(named: "trusted")
            keyRoot = keys.keyRoot
            trusted = keys.key
            options = RawImageOptions()
            options.verityCache = nil
            options.verityKeyRoot = keyRoot
        }

        func uuid(_ hex: Substring) -> String {
            let h = Array(hex)
            return [h[0..<8], h[8..<12], h[12..<16], h[16..<20], h[20..<32]].map { String($0) }.joined(separator: "-")
        }

        /// Writes the disk with `signature` as the signature partition's contents; returns its path.
        /// `uuidHash`: the root hash the partition UUIDs carry (default: the real one).
        func write(signature: [UInt8], uuidHash: String? = nil) throws -> String {
            let uuidHash = uuidHash ?? rootHash
            let dataSectors = UInt64(data.count / 512)
            let treeSectors = UInt64((tree.count + 4095) / 4096 * 8)
            let signatureSectors: UInt64 = 16
            var builder = RawGPTBuilder(totalSectors: 2048 + dataSectors + treeSectors + signatureSectors + 2048)
            builder.partitions = [
                .init(
                    type: PartitionType.uuid(for: designator, architecture: .native)!.description,
                    uuid: uuid(uuidHash.prefix(32)),
                    firstLBA: 2048,
                    sectors: dataSectors,
                    attributes: 1 << 60,
                    contents: data
                ),
                .init(
                    type: PartitionType.uuid(for: designator.verityCompanion!, architecture: .native)!.description,
                    uuid: uuid(uuidHash.dropFirst(32).prefix(32)),
                    firstLBA: 2048 + dataSectors,
                    sectors: treeSectors,
                    attributes: 1 << 60,
                    contents: tree
                ),
                .init(
                    type: PartitionType.uuid(for: designator.signatureCompanion!, architecture: .native)!.description,
                    uuid: "5a5a5a5a-0000-4000-8000-000000000003",
                    firstLBA: 2048 + dataSectors + treeSectors,
                    sectors: signatureSectors,
                    attributes: 1 << 60,
                    contents: signature
                ),
            ]
            return try fixture.write(builder.build(), to: "signed.raw")
        }
    }

    @Test(arguments: [PartitionDesignator.root, .usr])
    func validSignaturePartitionMakesTheImageSigned(_ designator: PartitionDesignator) throws {
        let disk = try Disk(designator)
        let path = try disk.write(
            signature: VeritySigningKey.signaturePartition(
                rootHash: disk.rootHash,
                signature: disk.trusted.sign(disk.rootHash)
            )
        )
        let image = try RawImage.open(path, options: disk.options)
        #expect(image.summary.verity?.signed == true)
        #expect(image.summary.verity?.origin == .signaturePartition)
        #expect(image.summary.verity?.signer == disk.keyRoot + "/etc/verity.d/trusted.crt")
        let name = designator == .usr ? "usr" : "root"
        // portabled 262 pins the signature partition too (the compat suite's signed-attach-gpt-sig).
        #expect(
            image.summary.pinnedImagePolicy
                == "\(name)=signed+read-only-on+growfs-off+squashfs:\(name)-verity=read-only-on+growfs-off:"
                + "\(name)-verity-sig=read-only-on+growfs-off:=absent"
        )
        // The headers alone, as the user scope's mountfsd opener reads them, give the same pin.
        #expect(try PinnedPolicyTests.probedFacts(path) == image.summary.pinnedPolicyFacts)
        image.close()
        disk.fixture.expectNothingLeftBehind()
    }

    @Test("malformed signature partitions are refused; invalid signatures leave plain verity")
    func badSignaturePartitions() throws {
        let disk = try Disk(.root)
        let intruder = try VeritySigningKey.selfSigned("intruder", in: disk.fixture.directory)
        let otherHash = String(disk.rootHash.reversed())
        // A well-formed signature that does not validate leaves the image plain verity (systemd 262
        // activates it unsigned, as the default image policy permits).
        for signature in [try intruder.sign(disk.rootHash), try disk.trusted.sign(otherHash)] {
            let path = try disk.write(
                signature: VeritySigningKey.signaturePartition(rootHash: disk.rootHash, signature: signature)
            )
            let image = try RawImage.open(path, options: disk.options)
            #expect(image.summary.verity?.signaturePresent == true && image.summary.verity?.signed == false)
            #expect(image.summary.verity?.signer == nil)
            image.close()
        }
        let cases: [(payload: [UInt8], expected: String)] = [
            (
                VeritySigningKey.signaturePartition(rootHash: disk.rootHash, signature: [0x30, 0x82, 0x01]),
                "not a DER-encoded PKCS#7"
            ),
            (Array("{\"rootHash\":\"\(disk.rootHash)\",\"signature\":\"@@@\"}".utf8), "not base64"),
            (Array("{\"rootHash\":\"\(disk.rootHash)\"}".utf8), "has no \"signature\""),
            (Array("garbage".utf8), "holds no JSON object"),
        ]
        for (payload, expected) in cases {
            let path = try disk.write(signature: payload)
            let error = expectImageError("VeritySignatureInvalid") {
                _ = try RawImage.open(path, options: disk.options)
            }
            let text = error?.description ?? ""
            #expect(text.contains(expected) && text.contains("signature partition 3"), "\(text)")
            #expect(text.contains("Image '\(path)'"), "\(text)")
        }
        disk.fixture.expectNothingLeftBehind()
    }

    /// A root hash given by the caller (or a sidecar) that the signature partition does not sign.
    @Test func signaturePartitionOverAnotherRootHashThanGivenIsRefused() throws {
        var disk = try Disk(.root)
        var other = Array(disk.rootHash)
        other[40] = other[40] == "0" ? "1" : "0"
        // The partitions are named by (and selected with) the given hash; the signature is over the real one.
        let path = try disk.write(
            signature: VeritySigningKey.signaturePartition(
                rootHash: disk.rootHash,
                signature: disk.trusted.sign(disk.rootHash)
            ),
            uuidHash: String(other)
        )
        let otherHash = try #require(parseHexForTest(String(other)))
        disk.options.rootHash = otherHash
        let error = expectImageError("VeritySignatureInvalid") { _ = try RawImage.open(path, options: disk.options) }
        #expect(
            error?.description.contains("not the image's root hash \(String(other))") == true,
            "\(String(describing: error))"
        )
        disk.fixture.expectNothingLeftBehind()
    }
}

func parseHexForTest(_ text: String) -> [UInt8]? {
    var bytes: [UInt8] = []
    var index = text.startIndex
    while index < text.endIndex {
        let next = text.index(index, offsetBy: 2)
        guard let byte = UInt8(text[index..<next], radix: 16) else { return nil }
        bytes.append(byte)
        index = next
    }
    return bytes
}
