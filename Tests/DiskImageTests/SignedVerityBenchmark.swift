import DiskImage
import Foundation
import Glibc
import TestSupport
import Testing

/// First vs repeated open of a 1 GiB squashfs (loop device, checks, detached mount, close): plain,
/// dm-verity with an unsigned root hash, and signed (`.roothash.p7s` checked against a verity.d
/// certificate). Prints numbers only. Run by `Benchmarks/signed/run.sh` (release build).
@Suite(
    "Signed dm-verity benchmark",
    .enabled(if: ProcessInfo.processInfo.environment["BERTH_SIGNED_BENCH"] != nil, "set BERTH_SIGNED_BENCH=1"),
    .enabled(if: loopDevicesAvailable, "needs root and /dev/loop-control")
)
struct SignedVerityBenchmark {
    static let repeats = 31

    @Test func firstAndRepeatedOpenOfSignedImage() throws {
        let fixture = try RawFixture()
        let harness = DiskImageBenchmark()
        let megabytes = Int(ProcessInfo.processInfo.environment["BERTH_SIGNED_BENCH_MIB"] ?? "") ?? 1024
        let path = try harness.image(fixture, megabytes: megabytes)
        let stem = VeritySidecars.stem(of: path)
        let rootHash = try fixture.verityFormat(data: path, hash: stem + ".verity")
        try rootHash.write(toFile: stem + ".roothash", atomically: false, encoding: .utf8)
        let keys = try fixture.trustedVerityKeys(named: "bench")
        let (keyRoot, key) = (keys.keyRoot, keys.key)
        // The signed variant is the same inode under another name, with its own sidecars (the same
        // hash tree, plus the signature), so the three variants can be measured in turn under the same load.
        let signedPath = fixture.path("signed.raw")
        #expect(link(path, signedPath) == 0)
        #expect(link(stem + ".verity", fixture.path("signed.verity")) == 0)
        try rootHash.write(toFile: fixture.path("signed.roothash"), atomically: false, encoding: .utf8)
        _ = try fixture.write(try key.sign(rootHash), to: "signed.roothash.p7s")

        var options = RawImageOptions()
        options.verityCache = VerityCache()
        options.verityKeyRoot = keyRoot
        var plain = options
        plain.useVeritySidecars = false
        // Page cache warm for every variant alike: one full check outside any cache.
        var uncached = options
        uncached.verityCache = nil
        try RawImage.open(path, options: uncached).close()

        let unsignedFirst = try harness.measure { try RawImage.open(path, options: options).close() }
        let signedFirst = try harness.measure {
            let image = try RawImage.open(signedPath, options: options)
            #expect(image.summary.isSigned && image.summary.verity?.fromCache == false)
            image.close()
        }
        var samples: [String: [Double]] = [:]
        for _ in 0..<Self.repeats {
            samples["plain", default: []].append(
                try harness.measure { try RawImage.open(path, options: plain).close() }
            )
            samples["unsigned", default: []].append(
                try harness.measure { try RawImage.open(path, options: options).close() }
            )
            samples["signed", default: []].append(
                try harness.measure { try RawImage.open(signedPath, options: options).close() }
            )
        }
        func median(_ name: String) -> Double {
            let sorted = samples[name, default: []].sorted()
            return sorted[sorted.count / 2]
        }
        func minimum(_ name: String) -> Double { samples[name, default: []].min() ?? 0 }
        let f = harness.format
        print("bench \(megabytes) MiB squashfs, open+mount+close, repeated: median (min) of \(Self.repeats), in turn")
        print("bench plain squashfs: repeated \(f(median("plain"))) (\(f(minimum("plain")))) ms")
        print(
            "bench verity unsigned: first \(f(unsignedFirst)) ms, repeated \(f(median("unsigned"))) "
                + "(\(f(minimum("unsigned")))) ms"
        )
        print(
            "bench verity signed: first \(f(signedFirst)) ms, repeated \(f(median("signed"))) "
                + "(\(f(minimum("signed")))) ms"
        )
        print(
            "bench signed/unsigned: first \(f(signedFirst / unsignedFirst * 100)) %, repeated "
                + "\(f(median("signed") / median("unsigned") * 100)) % (min \(f(minimum("signed") / minimum("unsigned") * 100)) %)"
        )
        fixture.expectNothingLeftBehind()
    }
}
