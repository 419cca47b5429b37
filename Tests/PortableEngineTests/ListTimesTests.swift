import Foundation
import PortableEngine
import TestSupport
import Testing

/// `list` takes a directory image's birth time from the one statx of its search-directory entry; the
/// value must be what the image looked up on its own reports (where `creationTime` opens the path).
/// Sizes as systemd's image.c has them: a raw image's limit is its file size.
@Suite("list: creation times and sizes")
struct ListTimesTests {
    @Test("every listed directory image has the creation time GetImage reports for it")
    func listedBirthTimesEqualLookedUpOnes() async throws {
        let fixture = EngineFixture()
        for index in 1...5 {
            fixture.image("app\(index)", units: ["app\(index).service": "[Service]\nExecStart=/usr/bin/app\n"])
        }
        let engine = try fixture.engine()
        let listed = await engine.listImages()
        #expect(listed.count == 5)
        for image in listed {
            let single = try await engine.image(image.name)
            #expect(image.kind == .directory)
            #expect(image.creationTimestamp == single.creationTimestamp, "\(image.name)")
            // The test's file system records birth times (tmpfs and ext4 both do): a value, not nil.
            #expect(image.creationTimestamp != nil, "\(image.name): no birth time")
        }
    }

    @Test("a raw image's limit is its file size, as portabled's Image objects report it; trees have none")
    func rawImageLimitIsItsFileSize() async throws {
        let fixture = EngineFixture()
        fixture.host.file("var/lib/portables/blob.raw", String(repeating: "x", count: 12_345))
        fixture.image("tree", units: ["tree.service": "[Service]\nExecStart=/usr/bin/app\n"])
        let engine = try fixture.engine()
        let listed = await engine.listImages()
        let raw = try #require(listed.first { $0.name == "blob" })
        #expect(raw.kind == .raw)
        #expect(raw.limit == 12_345)
        #expect(try await engine.image("blob").limit == 12_345)
        #expect(listed.first { $0.name == "tree" }?.limit == nil)
    }
}
