import DiskImage
import Foundation
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
        let keyRoot = fixture.path("keys")
        try FileManager.default.createDirectory(atPath: keyRoot + "/etc/verity.d", withIntermediateDirectories: true)
        let key = try VeritySigningKey.selfSigned("bench", in: fixture.directory)
        try FileManager.default.copyItem(atPath: key.certificatePath, toPath: keyRoot + "/etc/verity.d/bench.crt")
        let signature = try key.sign(rootHash)

        var options = RawImageOptions()
        options.verityCache = VerityCache()
        options.verityKeyRoot = keyRoot
        try RawImage.open(path, options: options).close()  // page cache warm for every variant alike
        options.verityCache = VerityCache()

        func run(_ label: String, _ options: RawImageOptions, expectSigned: Bool) throws -> Double {
            let first = try harness.measure {
                let image = try RawImage.open(path, options: options)
                #expect(image.summary.isSigned == expectSigned)
                image.close()
            }
            var samples: [Double] = []
            for _ in 0..<Self.repeats {
                samples.append(try harness.measure { try RawImage.open(path, options: options).close() })
            }
            samples.sort()
            let median = samples[samples.count / 2]
            print(
                "bench \(label) \(megabytes) MiB: first open \(harness.format(first)) ms, repeated median "
                    + "\(harness.format(median)) ms (min \(harness.format(samples[0])), n=\(Self.repeats))"
            )
            return median
        }
        var plain = options
        plain.useVeritySidecars = false
        let plainMedian = try run("plain squashfs", plain, expectSigned: false)
        let unsignedMedian = try run("verity unsigned", options, expectSigned: false)
        _ = try fixture.write(signature, to: (stem as NSString).lastPathComponent + ".roothash.p7s")
        let signedMedian = try run("verity signed", options, expectSigned: true)
        print(
            "bench repeated signed vs unsigned verity: \(harness.format(signedMedian / unsignedMedian * 100)) %, "
                + "vs plain: \(harness.format(signedMedian / plainMedian * 100)) %"
        )
        fixture.expectNothingLeftBehind()
    }
}
