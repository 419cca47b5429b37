import Foundation
import PortableEngine
import TestSupport
import Testing

@Suite("Concurrency")
struct ConcurrencyTests {
    static let service = "[Service]\nExecStart=/usr/bin/app\n"

    @Test("different images attach and detach in parallel without interfering")
    func parallelImages() async throws {
        let fixture = EngineFixture()
        let names = (0..<12).map { "img\($0)" }
        for name in names {
            fixture.image(
                name,
                units: ["\(name).service": Self.service, "\(name).socket": "[Socket]\nListenStream=/run/\(name)\n"]
            )
        }
        let engine = try fixture.engine()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for name in names {
                group.addTask { _ = try await engine.attach(AttachRequest(image: name, runtime: true)) }
            }
            try await group.waitForAll()
        }
        for name in names {
            #expect(try await engine.state(image: name) == .attachedRuntime)
            #expect(fixture.read("/run/systemd/system.attached/\(name).service") == Self.service)
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for name in names {
                group.addTask { _ = try await engine.detach(DetachRequest(image: name, runtime: true)) }
            }
            try await group.waitForAll()
        }
        for name in names { #expect(try await engine.state(image: name) == .detached) }
        let leftovers = fixture.hostSnapshot().keys.filter { $0.hasPrefix("run/systemd/system.attached/") }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    @Test("operations on one image serialize, also across engine instances (as across processes)")
    func sameImageSerializes() async throws {
        let fixture = EngineFixture()
        fixture.image("app_1", units: ["app.service": Self.service])
        fixture.image("app_2", units: ["app.service": Self.service + "# 2\n"])
        let first = try fixture.engine()
        let second = try fixture.engine()
        _ = try await first.attach(AttachRequest(image: "app_1", runtime: true))
        // Many concurrent reattaches between two versions, from two engines sharing only the lock files:
        // every one must see a consistent attachment (never a mix, never a missing unit).
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<16 {
                let engine = index % 2 == 0 ? first : second
                let image = index % 3 == 0 ? "app_1" : "app_2"
                group.addTask { _ = try await engine.reattach(AttachRequest(image: image, runtime: true)) }
            }
            try await group.waitForAll()
        }
        let dropIn = try #require(fixture.read("/run/systemd/system.attached/app.service.d/20-portable.conf"))
        let unit = try #require(fixture.read("/run/systemd/system.attached/app.service"))
        let version = dropIn.contains("app_2") ? "app_2" : "app_1"
        #expect(unit == (version == "app_2" ? Self.service + "# 2\n" : Self.service))
        #expect(!fixture.hostSnapshot().keys.contains { $0.contains(".#berth") })
    }
}
