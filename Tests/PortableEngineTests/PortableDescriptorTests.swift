import TestSupport
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
            ("[Portable]\nImage\n", "/d/x.portable:2: expected KEY=VALUE"),
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

    @Test(
        "through the engine: Extension=, Prefix= and Runtime= act as the request's would; state and detach by the file"
    )
    func engineExpandsDescriptor() async throws {
        let fixture = EngineFixture()
        fixture.image("rootdir", units: [:])
        let app0 = ImageTreeBuilder(root: fixture.host.root + "/srv/app0")
        app0.file(
            "usr/lib/extension-release.d/extension-release.app0",
            "ID=debian\nVERSION_ID=12\nSYSEXT_IMAGE_ID=app\n"
        )
        app0.file("usr/lib/systemd/system/app0.service", "[Service]\nExecStart=/usr/bin/app\n")
        fixture.host.file(
            "srv/app.portable",
            "[Portable]\nImage=/var/lib/portables/rootdir\nExtension=app0\nPrefix=app0\nRuntime=yes\n"
        )
        let engine = try fixture.engine()
        let attached = try await engine.attach(AttachRequest(image: "/srv/app.portable"))
        #expect(attached.units == ["app0.service"])
        let dropIn = fixture.read("/run/systemd/system.attached/app0.service.d/20-portable.conf") ?? ""
        #expect(dropIn.contains("RootDirectory=/var/lib/portables/rootdir\n"), "\(dropIn)")
        #expect(dropIn.contains("ExtensionDirectories=/srv/app0\n"), "\(dropIn)")
        #expect(try await engine.state(image: "/srv/app.portable") == .attachedRuntime)
        let detached = try await engine.detach(DetachRequest(image: "/srv/app.portable"))
        #expect(detached.units == ["app0.service"])
        #expect(try await engine.state(image: "/srv/app.portable") == .detached)
    }

    @Test("only absolute paths ending in .portable are descriptors")
    func recognition() {
        #expect(PortableDescriptor.isDescriptor("/srv/app.portable"))
        #expect(!PortableDescriptor.isDescriptor("app.portable"), "a name is an image in the search path")
        #expect(!PortableDescriptor.isDescriptor("/srv/.portable"))
        #expect(!PortableDescriptor.isDescriptor("/srv/app.raw"))
    }
}
