import Testing

@testable import PortableEngine

@Suite("NAME.portable descriptors")
struct PortableDescriptorTests {
    @Test("every key, paths relative to the descriptor's directory, lists that repeat and reset")
    func parsesEveryKey() throws {
        let text = """
            # The app, version 2.
            [Portable]
            Image = app_2.raw\r
            Extension=/opt/ext/debug.raw
            Extension=
            Extension=../ext/tools.raw
            Prefix=app app-helper
            Prefix=app-extra
            Profile=profiles/strict
            Copy=symlink
            Runtime=yes

            """
        let descriptor = try PortableDescriptor.parse(text, path: "/srv/app/app.portable")
        #expect(descriptor.image == "/srv/app/app_2.raw")
        #expect(descriptor.extensions == ["/srv/ext/tools.raw"])
        #expect(descriptor.prefixes == ["app", "app-helper", "app-extra"])
        #expect(descriptor.profile == "/srv/app/profiles/strict")
        #expect(descriptor.copyMode == .symlink)
        #expect(descriptor.runtime == true)
        let named = try PortableDescriptor.parse("[Portable]\nImage=/a.v/\nProfile=trusted\n", path: "/x.portable")
        #expect(named.image == "/a.v/" && named.profile == "trusted" && named.runtime == nil)
    }

    @Test("errors name the file and the line")
    func errorsNameFileAndLine() {
        let cases: [(String, String)] = [
            ("[Portable]\nImage=a\nRuntime=maybe\n", "/d/x.portable:3: Runtime= must be a boolean, not 'maybe'"),
            ("[Portable]\n[Portable]\n", "/d/x.portable:2: [Portable] appears twice"),
            ("[Portable]\nImage\n", "/d/x.portable:2: expected KEY=VALUE, got 'Image'"),
            ("[Portable]\nPrefix=a/b\n", "/d/x.portable:2: 'a/b' is not a valid unit name prefix"),
            ("[Portable]\nProfile=\n", "/d/x.portable:2: Profile= is empty"),
            ("[Portable]\nProfile=.hidden\n", "/d/x.portable:2: '.hidden' is not a valid profile name"),
            ("", "/d/x.portable: no Image= in [Portable]"),
        ]
        for (text, reason) in cases {
            #expect(throws: PortableError.invalidArgument(parameter: "image", reason: reason), "\(text)") {
                try PortableDescriptor.parse(text, path: "/d/x.portable")
            }
        }
    }

    @Test("only absolute paths ending in .portable are descriptors")
    func recognition() {
        #expect(PortableDescriptor.isDescriptor("/srv/app.portable"))
        #expect(!PortableDescriptor.isDescriptor("app.portable"), "a name is an image in the search path")
        #expect(!PortableDescriptor.isDescriptor("/srv/.portable"))
        #expect(!PortableDescriptor.isDescriptor("/srv/app.raw"))
    }
}
