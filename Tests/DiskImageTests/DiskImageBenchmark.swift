import DiskImage
import Foundation
import TestSupport
import Testing

/// Open + probe + mount + close of a 16 MiB vs a 1 GiB squashfs, and first vs cached verity checks.
/// Prints numbers only (no timed assertions). Opt in, release build:
/// `BERTH_DISKIMAGE_BENCH=1 swift test -c release --scratch-path .build-raw --filter DiskImageBenchmark`
@Suite(
    "DiskImage benchmark",
    .enabled(if: ProcessInfo.processInfo.environment["BERTH_DISKIMAGE_BENCH"] != nil, "set BERTH_DISKIMAGE_BENCH=1"),
    .enabled(if: loopDevicesAvailable, "needs root and /dev/loop-control")
)
struct DiskImageBenchmark {
    static let iterations = 50

    /// A squashfs of about `megabytes` MiB of incompressible data (stored uncompressed).
    func image(_ fixture: RawFixture, megabytes: Int) throws -> String {
        let tree = fixture.path("tree-\(megabytes)")
        try RawImageTools.makeTree(at: tree)
        try RawImageTools.run(
            "dd",
            ["if=/dev/urandom", "of=\(tree)/usr/lib/blob", "bs=1M", "count=\(megabytes)", "status=none"]
        )
        let path = fixture.path("bench-\(megabytes).raw")
        try RawImageTools.run(
            "mksquashfs",
            [tree, path, "-noappend", "-quiet", "-all-root", "-noD", "-noI", "-noF", "-noX"]
        )
        RawImageTools.removeTree(tree)
        return path
    }

    func measure(_ body: () throws -> Void) rethrows -> Double {
        let start = ContinuousClock.now
        try body()
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
    }

    @Test func openProbeMountClose() throws {
        let fixture = try RawFixture()
        for megabytes in [16, 1024] {
            let path = try image(fixture, megabytes: megabytes)
            try RawImage.open(path).close()  // warm the page cache for the metadata
            var samples: [Double] = []
            for _ in 0..<Self.iterations {
                samples.append(try measure { try RawImage.open(path).close() })
            }
            samples.sort()
            print(
                "bench open+probe+mount+close squashfs \(megabytes) MiB: median \(format(samples[samples.count / 2])) ms, "
                    + "min \(format(samples[0])) ms, max \(format(samples[samples.count - 1])) ms (n=\(Self.iterations))"
            )

            let rootHash = try fixture.verityFormat(data: path, hash: VeritySidecars.stem(of: path) + ".verity")
            try rootHash.write(toFile: VeritySidecars.stem(of: path) + ".roothash", atomically: false, encoding: .utf8)
            let cache = VerityCache()
            var options = RawImageOptions()
            options.verityCache = cache
            let first = try measure { try RawImage.open(path, options: options).close() }
            var repeated: [Double] = []
            for _ in 0..<10 { repeated.append(try measure { try RawImage.open(path, options: options).close() }) }
            repeated.sort()
            print(
                "bench verity squashfs \(megabytes) MiB: first open (full check) \(format(first)) ms, "
                    + "repeated (cached) median \(format(repeated[repeated.count / 2])) ms"
            )
            try FileManager.default.removeItem(atPath: path)
        }
        fixture.expectNothingLeftBehind()
    }

    func format(_ value: Double) -> String { String(format: "%.2f", value) }
}
