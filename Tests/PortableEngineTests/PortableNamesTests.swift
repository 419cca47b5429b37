import PortableEngine
import Testing

@Suite("Portable names")
struct PortableNamesTests {
    @Test("unit names follow systemd's rules")
    func unitNames() {
        for valid in [
            "foo.service", "foo-bar.socket", "foo@.service", "foo@inst.service", "a:b_c\\x2d.timer",
            "foo@@.service", "a@b@c.service", "foo@a.b.service", "a..b.service", "foo.mount", "foo.slice",
        ] {
            #expect(PortableNames.isValidUnitName(valid), "\(valid)")
        }
        for invalid in [
            "", ".service", "foo", "foo.", "../foo.service", "foo/bar.service", "foo.bogus",
            "@foo.service", "foo bar.service", "foo.Service", "fo\no.service",
            String(repeating: "a", count: 256) + ".service",
        ] {
            #expect(!PortableNames.isValidUnitName(invalid), "\(invalid)")
        }
    }

    @Test("image and profile names refuse traversal and control characters")
    func imageNames() {
        #expect(PortableNames.isValidImageName("foo_1.2.raw"))
        for invalid in ["", ".", "..", "a/b", "../etc", ".#foo", ".#berth.1.tmp", "fo\u{1}o", "a\u{7F}"] {
            #expect(!PortableNames.isValidImageName(invalid), "\(invalid)")
            #expect(!PortableNames.isValidProfileName(invalid), "\(invalid)")
        }
        // systemd's image_name_is_valid refuses only temporary ".#" names: portablectl 257/262 look
        // ".hidden" up by name ("No image '.hidden' found."), portabled finds and lists such an image.
        #expect(PortableNames.isValidImageName(".hidden"))
        #expect(!PortableNames.isValidProfileName(".hidden"))
    }

    @Test("prefix matching needs a separator after the prefix")
    func matching() {
        let prefixes = ["foobar"]
        for unit in ["foobar.service", "foobar-x.timer", "foobar@.service", "foobar.x.service"] {
            #expect(PortableNames.unitMatches(unit, prefixes: prefixes), "\(unit)")
        }
        #expect(!PortableNames.unitMatches("foobarx.service", prefixes: prefixes))
        #expect(!PortableNames.unitMatches("foobar.mount", prefixes: prefixes))
        #expect(PortableNames.unitMatches("anything.path", prefixes: []))
    }

    @Test("base names strip suffixes and versions")
    func baseNames() {
        #expect(PortableNames.imageBaseName("/var/lib/portables/foo_1.2.raw") == "foo")
        #expect(PortableNames.imageBaseName("/x/app0_1.0.sysext.raw") == "app0")
        #expect(PortableNames.imageBaseName("/x/app+3") == "app")
        #expect(PortableNames.imageBaseName("/x/plain/") == "plain")
        #expect(PortableNames.displayName("/x/foo_1.raw") == "foo_1")
        #expect(PortableNames.displayName("foo_1.raw") == "foo_1")
        #expect(PortableNames.displayName("demo_1") == "demo_1")
        #expect(PortableNames.displayName("raw") == "raw")
        #expect(PortableNames.displayName("/x/app/") == "app")
    }

    @Test("a / before a combining mark still separates components (fuzzer finding, unitname-parse)")
    func slashBeforeCombiningMark() {
        // "/vab/" + U+0362 (combining) + invalid bytes + "@": as Characters, "/\u{362}" is one grapheme.
        let path = String(decoding: [0x2F, 0x76, 0x61, 0x62, 0x2F, 0xCD, 0xA2, 0x9D, 0xDA, 0x40], as: UTF8.self)
        let component = PortableNames.lastComponent(path)
        #expect(!component.utf8.contains(UInt8(ascii: "/")))
        #expect(component.utf8.first == 0xCD)
        #expect(!PortableNames.imageBaseName(path).utf8.contains(UInt8(ascii: "/")))
        #expect(!PortableNames.isNormalizedAbsolutePath("/a/.."))
        #expect(PortableNames.isNormalizedAbsolutePath("/a/\u{362}"))
    }

    @Test("derived prefixes follow portablectl")
    func derivedPrefix() throws {
        #expect(try PortableNames.derivedPrefix("/x/foobar_47.11.raw") == "foobar")
        #expect(try PortableNames.derivedPrefix("/x/foo.raw") == "foo")
        #expect(try PortableNames.derivedPrefix("/x/foo.raw.v") == "foo")
        #expect(throws: PortableError.self) { try PortableNames.derivedPrefix("/x/f o o") }
    }

    @Test("paths must be absolute and normalized")
    func paths() {
        #expect(PortableNames.isNormalizedAbsolutePath("/var/lib/portables/foo"))
        for invalid in ["relative", "/a/../b", "/a/./b", "/a//b", "/a/", "/a\nb"] {
            #expect(!PortableNames.isNormalizedAbsolutePath(invalid), "\(invalid)")
        }
    }

    @Test("a template's first @ directly precedes its type; more @ belong to an instance")
    func templates() {
        #expect(PortableNames.isTemplate("foo@.service"))
        for instance in ["foo@@.service", "foo@a.service", "foo@a@.service", "foo.service"] {
            #expect(!PortableNames.isTemplate(instance), "\(instance)")
        }
    }
}
