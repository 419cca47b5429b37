import Foundation
import PortableEngine
import TestSupport
import Testing

/// Names ordered as systemd orders them: by bytes (`strcmp`), not as Swift compares strings. The names
/// tell the orders apart: bytes (B < a, foo10 < foo9), case-blind and version order, and Swift's
/// canonical equivalence, under which "cafe\u{301}" equals "caf\u{E9}" and the Kelvin sign equals K.
@Suite("Name order: bytes, as systemd sorts and compares names")
struct NameOrderTests {
    static let names = [
        "foo9", "foo10", "B", "a", "a-b", "a_b", "a.b", "caff", "cafe\u{301}", "caf\u{E9}", "K", "\u{212A}",
    ]
    /// As portablectl 257 and 262 list images of these names (lab; Tests/compat list-name-order).
    static let byteOrder = [
        "B", "K", "a", "a-b", "a.b", "a_b", "cafe\u{301}", "caff", "caf\u{E9}", "foo10", "foo9", "\u{212A}",
    ]

    @Test("precedes is strcmp's order")
    func agreesWithStrcmp() {
        for a in Self.names {
            for b in Self.names {
                #expect(NameOrder.precedes(a, b) == (strcmp(a, b) < 0), "\(Array(a.utf8)) vs \(Array(b.utf8))")
            }
        }
    }

    @Test("names sort bytewise, where Swift's sort would not")
    func sortsBytewise() {
        #expect(Self.names.sortedByName() == Self.byteOrder)
        #expect(Self.names.shuffled().sorted(byName: { $0 }) == Self.byteOrder)
        // Swift puts the precomposed é after "caff" and beside the decomposed one, and K beside the Kelvin sign.
        #expect(Self.names.sorted() != Self.byteOrder)
    }

    @Test("keys are equal only when the bytes are")
    func keysCompareBytes() {
        #expect(Set(Self.names).count == Self.names.count - 2)  // Swift's equality merges two pairs
        #expect(Set(Self.names.map(NameOrder.Key.init)).count == Self.names.count)
        #expect(NameOrder.Key("caf\u{E9}") != NameOrder.Key("cafe\u{301}"))
        let precomposed = String(decoding: [0x63, 0x61, 0x66, 0xC3, 0xA9], as: UTF8.self)
        #expect(NameOrder.Key("caf\u{E9}") == NameOrder.Key(precomposed))
        #expect(NameOrder.Key("K") < NameOrder.Key("\u{212A}"))
        #expect(Self.names.map(NameOrder.Key.init).sorted().map(\.name) == Self.byteOrder)
    }

    @Test("list shows every image once, in byte order")
    func listOrder() async throws {
        let fixture = EngineFixture()
        for name in Self.names { try Self.makeDirectory(fixture.host.root + "/var/lib/portables/" + name) }
        let listed = try await fixture.engine().listImages().map(\.name)
        #expect(listed.map { Array($0.utf8) } == Self.byteOrder.map { Array($0.utf8) })
    }

    @Test("profiles are listed once each, in byte order")
    func profileOrder() throws {
        let fixture = EngineFixture()
        for name in Self.names { try Self.makeDirectory(fixture.host.root + "/etc/systemd/portable/profile/" + name) }
        let expected = [
            "B", "K", "a", "a-b", "a.b", "a_b", "cafe\u{301}", "caff", "caf\u{E9}", "default", "foo10", "foo9",
            "nonetwork", "strict", "trusted", "\u{212A}",
        ]
        #expect(try fixture.engine().profiles().map { Array($0.utf8) } == expected.map { Array($0.utf8) })
    }

    @Test("inspect lists unit files in byte order, as portabled does")
    func unitOrder() throws {
        let fixture = EngineFixture()
        let names = ["a", "a9", "a10", "A", "B", "a-b", "a_b", "a.b", "a:b", "a@"]
        fixture.image(
            "unitorder",
            units: Dictionary(uniqueKeysWithValues: names.map { ("\($0).service", "[Service]\nExecStart=/x\n") })
        )
        let metadata = try fixture.engine().inspect(InspectRequest(image: "unitorder", matches: ["-"]))
        #expect(
            metadata.units.map(\.name) == [
                "A.service", "B.service", "a-b.service", "a.b.service", "a.service", "a10.service", "a9.service",
                "a:b.service", "a@.service", "a_b.service",
            ]
        )
    }

    /// mkdir(2) with the name's own bytes (no normalization on the way).
    static func makeDirectory(_ path: String) throws {
        let parent = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        guard mkdir(path, 0o755) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    }
}
