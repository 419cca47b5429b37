import DiskImage
import Foundation
import TestSupport

/// A DPS disk as systemd-repart writes it for a signed image: a read-only squashfs root (partition 1),
/// its root-verity partition (2) and a root-verity-sig partition (3) signed by a throwaway key; the
/// partition UUIDs carry the root hash. Removed with the value.
struct VerityDisk {
    static var toolsInstalled: Bool {
        ["mksquashfs", "veritysetup", "openssl"].allSatisfy(RawImageTools.isInstalled)
    }

    let directory = TempDirectory(prefix: "berth-mountfsd-verity")
    let path: String
    let rootHash: String
    /// Bytes of the root partition (data starts at sector 2048).
    let dataSize: UInt64
    /// What the opener reads from the image's headers.
    let headers: ImageProbe

    init() throws {
        let tree = directory.join("tree")
        try RawImageTools.makeTree(at: tree)
        let data = directory.join("fs.sqsh")
        try RawImageTools.run("mksquashfs", [tree, data, "-noappend", "-quiet", "-all-root"])
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: data)))
        bytes += [UInt8](repeating: 0, count: (4096 - bytes.count % 4096) % 4096)
        try Data(bytes).write(to: URL(fileURLWithPath: data))
        let output = try RawImageTools.run("veritysetup", ["format", data, directory.join("fs.verity")])
        guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix("Root hash:") }) else {
            throw RawImageTools.Failure(command: "veritysetup format", status: 0, output: output)
        }
        rootHash = line.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)
        let hashTree = Array(try Data(contentsOf: URL(fileURLWithPath: directory.join("fs.verity"))))
        let key = try VeritySigningKey.selfSigned("mountfsd", in: directory.path)
        let signature = VeritySigningKey.signaturePartition(rootHash: rootHash, signature: try key.sign(rootHash))

        let dataSectors = UInt64(bytes.count / 512)
        let treeSectors = UInt64((hashTree.count + 4095) / 4096 * 8)
        dataSize = dataSectors * 512
        let readOnly: UInt64 = 1 << 60
        var builder = RawGPTBuilder(totalSectors: 2048 + dataSectors + treeSectors + 16 + 2048)
        builder.partitions = [
            .init(
                type: PartitionType.uuid(for: .root, architecture: .native)!.description,
                uuid: Self.uuid(rootHash.prefix(32)),
                firstLBA: 2048,
                sectors: dataSectors,
                attributes: readOnly,
                contents: bytes
            ),
            .init(
                type: PartitionType.uuid(for: .rootVerity, architecture: .native)!.description,
                uuid: Self.uuid(rootHash.dropFirst(32).prefix(32)),
                firstLBA: 2048 + dataSectors,
                sectors: treeSectors,
                attributes: readOnly,
                contents: hashTree
            ),
            .init(
                type: PartitionType.uuid(for: .rootVeritySignature, architecture: .native)!.description,
                uuid: "5a5a5a5a-0000-4000-8000-000000000003",
                firstLBA: 2048 + dataSectors + treeSectors,
                sectors: 16,
                attributes: readOnly,
                contents: signature
            ),
        ]
        path = directory.join("signed.raw")
        try Data(builder.build()).write(to: URL(fileURLWithPath: path))
        headers = try MountfsdReplyPolicyTests.headers(of: path)
    }

    /// mountfsd's entry for the root partition, with the optional fields it writes for a GPT partition.
    func rootEntry(number: Int, size: UInt64) -> String {
        MountfsdReplyPolicyTests.entry(
            size: String(size),
            offset: "1048576",
            extra: "\"partitionNumber\":\(number),\"architecture\":\"\(Architecture.native.rawValue)\","
                + "\"partitionUuid\":\"\(Self.uuid(rootHash.prefix(32)))\",\"partitionLabel\":\"root\","
        )
    }

    static func uuid(_ hex: Substring) -> String {
        let h = Array(hex)
        return [h[0..<8], h[8..<12], h[12..<16], h[16..<20], h[20..<32]].map { String($0) }.joined(separator: "-")
    }
}
