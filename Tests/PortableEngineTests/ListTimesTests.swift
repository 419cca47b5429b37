import Foundation
import PortableEngine
import Testing

/// `list` takes a directory image's birth time from the one statx of its search-directory entry; the
/// value must be what the image looked up on its own reports (where `creationTime` opens the path).
@Suite("list: creation times from the search-directory statx")
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
}
