import DiskImage
import Foundation
import TestSupport
import Testing

@Suite("vpick version ordering and .v/ directories")
struct VersionPickTests {
    @Test(arguments: [
        ("1.0", "1.1"), ("1.9", "1.10"), ("1.0~rc1", "1.0"), ("1.0", "1.0.1"), ("1.0", "1.0^p1"),
        ("1.0-1", "1.0.1"), ("1.0^1", "1.0.1"), ("a", "1"), ("abc", "abd"), ("ab", "abc"), ("1~~", "1~"),
        ("122", "123"), ("009", "10"), ("1.0", "1.0-rc"),
    ])
    func older(_ pair: (String, String)) {
        #expect(VersionComparison.compare(pair.0, pair.1) < 0, "\(pair.0) < \(pair.1)")
        #expect(VersionComparison.compare(pair.1, pair.0) > 0, "\(pair.1) > \(pair.0)")
    }

    @Test func equalVersions() {
        #expect(VersionComparison.compare("1.0", "1.0") == 0)
        #expect(VersionComparison.compare("01", "1") == 0)
        #expect(VersionComparison.compare("1_0", "1.0") != 0)
    }

    @Test func newestAmongNames() {
        let names = [
            "app_1.2.raw", "app_1.10.raw", "app_1.9.raw", "other_9.raw", "app_2.0+0.raw", "app_1.11_s390x.raw",
            "app_1.10~rc1.raw", ".app_3.raw", "app_1.3.txt",
        ]
        #expect(VersionPick.newest(among: names, baseName: "app", suffix: ".raw") == "app_1.10.raw")
        #expect(
            VersionPick.newest(among: ["app_1_x86-64.raw", "app_0.9.raw"], baseName: "app", suffix: ".raw")
                != "app_0.9.raw"
        )
        #expect(
            VersionPick.newest(among: ["app_5+3-1.raw", "app_4.raw"], baseName: "app", suffix: ".raw")
                == "app_5+3-1.raw"
        )
        #expect(VersionPick.newest(among: [], baseName: "app", suffix: ".raw") == nil)
    }

    @Test func picksFromDirectory() throws {
        let fixture = try RawFixture()
        let directory = fixture.path("app.raw.v")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for name in ["app_1.raw", "app_3.raw", "app_2.raw", "app_10~beta.raw"] {
            _ = FileManager.default.createFile(atPath: directory + "/" + name, contents: Data([1]))
        }
        try FileManager.default.createDirectory(atPath: directory + "/app_99.raw", withIntermediateDirectories: true)
        #expect(try VersionPick.pick(directory: directory + "/") == directory + "/app_10~beta.raw")
        try FileManager.default.removeItem(atPath: directory + "/app_10~beta.raw")
        #expect(try VersionPick.pick(directory: directory) == directory + "/app_3.raw")

        let empty = fixture.path("empty.v")
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        expectImageError("NoVersionFound") { _ = try VersionPick.pick(directory: empty) }
        expectImageError("IO") { _ = try VersionPick.pick(directory: fixture.path("missing.v")) }
    }
}
