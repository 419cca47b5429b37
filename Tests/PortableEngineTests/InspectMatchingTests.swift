import PortableEngine
import Testing

/// Which units `inspect` shows, as portablectl 262 + portabled chose them in the lab for the same trees:
/// the image name's prefix first; `PORTABLE_PREFIXES=` only when that matches nothing; no unit at all
/// is an error.
@Suite("inspect: unit matching as portablectl does it")
struct InspectMatchingTests {
    static let service = "[Service]\nExecStart=/usr/bin/sleep infinity\n"

    @Test("the image name's prefix wins over PORTABLE_PREFIXES= when it matches")
    func nameFirst() throws {
        let fixture = EngineFixture()
        fixture.image(
            "multi",
            osRelease: "ID=x\nPORTABLE_PREFIXES=other\n",
            units: [
                "multi-a.service": Self.service, "multi.socket": "[Socket]\nListenStream=/run/m\n",
                "multi.timer": "[Timer]\nOnActiveSec=1h\n", "other.service": Self.service,
            ]
        )
        let metadata = try fixture.engine().inspect(InspectRequest(image: "multi"))
        #expect(metadata.units.map(\.name) == ["multi-a.service", "multi.socket", "multi.timer"])
    }

    /// portablectl 262: "(No matching unit files found with the image name prefix, retrying with
    /// PORTABLE_PREFIXES= from os-release.)"; 257 fails here instead.
    @Test("PORTABLE_PREFIXES= when the name's prefix matches nothing")
    func declaredAfterwards() throws {
        let fixture = EngineFixture()
        fixture.image("pp", osRelease: "ID=x\nPORTABLE_PREFIXES=sqplain\n", units: ["sqplain.service": Self.service])
        let metadata = try fixture.engine().inspect(InspectRequest(image: "pp"))
        #expect(metadata.units.map(\.name) == ["sqplain.service"])
    }

    @Test(
        "no matching unit: portabled's error",
        arguments: [
            ("other", "ID=x\n", [String]()),  // name prefix, nothing declared
            ("pp", "ID=x\nPORTABLE_PREFIXES=sqplain\n", ["foo"]),  // explicit prefix: no retry
        ]
    )
    func noMatch(image: String, osRelease: String, matches: [String]) throws {
        let fixture = EngineFixture()
        fixture.image(image, osRelease: osRelease, units: ["sqplain.service": Self.service])
        let engine = try fixture.engine()
        let error = #expect(throws: PortableError.self) {
            try engine.inspect(InspectRequest(image: image, matches: matches))
        }
        #expect(
            error?.description
                == "Couldn't find any matching unit files in image '/var/lib/portables/\(image)', refusing."
        )
    }
}
