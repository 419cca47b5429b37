import BerthCLI
import Foundation
import TestSupport
import Testing

/// `list`'s CRTIME, MTIME and USAGE as portablectl 257/262 printed them in the lab for the same images.
@Suite("berthctl list: columns as portablectl prints them")
struct ListColumnsTests {
    /// Allocated bytes (fallocate'd raw images) → portablectl's USAGE: the tenth is truncated and only
    /// shown when it is not 0.
    @Test(
        arguments: [
            (4096, "4K"), (8192, "8K"), (102_400, "100K"), (1_040_384, "1016K"), (1_044_480, "1020K"),
            (1_048_576, "1M"), (1_052_672, "1M"), (1_572_864, "1.5M"), (1_990_656, "1.8M"), (2_129_920, "2M"),
            (10_485_760, "10M"), (104_857_600, "100M"), (1_610_612_736, "1.5G"), (0, "0B"), (999, "999B"),
        ] as [(UInt64, String)]
    )
    func usage(bytes: UInt64, shown: String) {
        #expect(ValueFormatting.bytes(bytes) == shown)
    }

    /// portablectl: a directory's CRTIME is its birth time, its MTIME "-", its USAGE empty; a raw image has
    /// all three.
    @Test func treesHaveACreationTimeButNoModificationTimeOrUsage() throws {
        let tree = try CLITestTree()
        try tree.makeImage("dir", units: ["dir.service": DemoUnits.service])
        let raw = tree.root + "/var/lib/portables/file.raw"
        #expect(FileManager.default.createFile(atPath: raw, contents: Data(repeating: 1, count: 8192)))
        let result = try CLIRunner.run(
            try CLIRunner.executable("berthctl"),
            ["--root=\(tree.root)", "--no-legend", "list"]
        )
        #expect(result.status == 0, "\(result)")
        let rows = result.stdout.split(separator: "\n").map {
            $0.split(separator: " ", omittingEmptySubsequences: true)
        }
        try #require(rows.count == 2, "\(result)")
        // dir directory no <Day YYYY-MM-DD HH:MM:SS TZ> - detached
        #expect(Array(rows[0].prefix(3)) == ["dir", "directory", "no"])
        #expect(rows[0].count == 9, "\(rows[0])")
        #expect(Array(rows[0].suffix(2)) == ["-", "detached"])
        // file raw no <crtime: 4 words> <mtime: 4 words> 8K detached
        #expect(Array(rows[1].prefix(3)) == ["file", "raw", "no"])
        #expect(rows[1].count == 13, "\(rows[1])")
        #expect(Array(rows[1].suffix(2)) == ["8K", "detached"])
    }
}
