import BerthClient
import Foundation
import Testing
import Varlink
import VarlinkJSON

/// Every io.berth.Portable method over a real socket against a real offline tree.
@Suite("io.berth.Portable methods")
struct PortableServiceMethodTests {
    @Test func listImagesReportsThePoolSortedByName() async throws {
        try await ServiceHarness.with { harness in
            try harness.makeImage("zeta")
            try harness.makeImage("alpha_1")
            let reply = try await harness.client().listImages()
            #expect(reply.images.map(\.name) == ["alpha_1", "zeta"])
            #expect(reply.images.first?.type == .directory)
            #expect(reply.images.first?.path == "/var/lib/portables/alpha_1")
            #expect(reply.images.allSatisfy { $0.state == .detached })
        }
    }

    @Test func getImageFindsByNameAndReportsMissingOnes() async throws {
        try await ServiceHarness.with { harness in
            try harness.makeImage("demo")
            let client = try await harness.client()
            #expect(try await client.getImage(image: "demo").image.name == "demo")
            await #expect(throws: Portable.Error.noSuchImage(image: "ghost")) {
                try await client.getImage(image: "ghost")
            }
        }
    }

    @Test func inspectImageReturnsReleaseAndUnitContents() async throws {
        try await ServiceHarness.with { harness in
            try harness.makeImage("demo_2")
            let metadata = try await harness.client().inspectImage(image: "demo_2").metadata
            #expect(metadata.path == "/var/lib/portables/demo_2")
            #expect(metadata.type == .directory)
            #expect(metadata.osRelease.fields["ID"] == "demo")
            #expect(metadata.osRelease.contents.hasPrefix("ID=demo\n"))
            #expect(metadata.units.map(\.name) == ["demo.service", "demo.socket"])
            #expect(metadata.units.first?.contents == "[Service]\nExecStart=/usr/bin/demo\n")
            #expect(metadata.disk == nil)
        }
    }

    @Test func attachStateDetachRoundTrip() async throws {
        try await ServiceHarness.with { harness in
            let image = try harness.makeImage("demo")
            let client = try await harness.client()
            #expect(try await client.getImageState(image: "demo").state == .detached)

            let attached = try await client.attachImage(image: image)
            #expect(attached.units == ["demo.service", "demo.socket"])
            #expect(
                attached.changes.contains { $0.type == .write && $0.path.hasSuffix("demo.service.d/20-portable.conf") }
            )
            #expect(attached.changes.contains { $0.type == .copy && $0.path.hasSuffix("system.attached/demo.service") })
            #expect(harness.exists("/etc/systemd/system.attached/demo.socket"))
            #expect(try await client.getImageState(image: "demo").state == .attached)
            #expect(try await client.listImages().images.first?.state == .attached)

            let detached = try await client.detachImage(image: image)
            #expect(detached.units == ["demo.service", "demo.socket"])
            #expect(detached.changes.allSatisfy { $0.type == .unlink || $0.type == .rmdir })
            #expect(!harness.exists("/etc/systemd/system.attached/demo.service"))
            #expect(try await client.getImageState(image: "demo").state == .detached)
        }
    }

    @Test func runtimeAttachIsAttachedRuntimeOnTheWire() async throws {
        try await ServiceHarness.with { harness in
            try harness.makeImage("demo")
            let client = try await harness.client()
            _ = try await client.attachImage(image: "demo", runtime: true)
            #expect(harness.exists("/run/systemd/system.attached/demo.service"))
            #expect(try await client.getImageState(image: "demo").state == .attachedRuntime)
            _ = try await client.detachImage(image: "demo", runtime: true)
        }
    }

    @Test func detachOfAnImageThatIsNotAttachedIsImageNotAttached() async throws {
        try await ServiceHarness.with { harness in
            try harness.makeImage("demo")
            await #expect {
                try await harness.client().detachImage(image: "demo")
            } throws: { error in
                guard case .imageNotAttached = error as? Portable.Error else { return false }
                return true
            }
        }
    }

    @Test func attachOverAHostUnitIsUnitExistsUnlessForced() async throws {
        try await ServiceHarness.with { harness in
            try harness.makeImage("demo")
            let hostUnit = harness.root + "/etc/systemd/system/demo.service"
            try Data("[Service]\nExecStart=/bin/true\n".utf8).write(to: URL(fileURLWithPath: hostUnit))
            let client = try await harness.client()
            await #expect {
                try await client.attachImage(image: "demo")
            } throws: { error in
                guard case .unitExists(let unit, _) = error as? Portable.Error else { return false }
                return unit == "demo.service"
            }
            #expect(!harness.exists("/etc/systemd/system.attached/demo.socket"), "all or nothing")
            _ = try await client.attachImage(image: "demo", force: true)
            #expect(harness.exists("/etc/systemd/system.attached/demo.socket"))
        }
    }

    @Test func unknownProfileIsInvalidProfile() async throws {
        try await ServiceHarness.with { harness in
            try harness.makeImage("demo")
            await #expect {
                try await harness.client().attachImage(image: "demo", profile: "no-such-profile")
            } throws: { error in
                guard case .invalidProfile(let profile, _) = error as? Portable.Error else { return false }
                return profile == "no-such-profile"
            }
            #expect(!harness.exists("/etc/systemd/system.attached"))
        }
    }

    @Test func reattachReplacesTheOldVersion() async throws {
        try await ServiceHarness.with { harness in
            try harness.makeImage("demo_1")
            try harness.makeImage("demo_2", units: ["demo.service": "[Service]\nExecStart=/usr/bin/demo2\n"])
            let client = try await harness.client()
            _ = try await client.attachImage(image: "demo_1")
            let reply = try await client.reattachImage(image: "demo_2")
            #expect(reply.removed.contains { $0.path.hasSuffix("system.attached/demo.socket") })
            #expect(reply.updated.contains { $0.path.hasSuffix("system.attached/demo.service") })
            #expect(!harness.exists("/etc/systemd/system.attached/demo.socket"))
            #expect(try await client.getImageState(image: "demo_2").state == .attached)
        }
    }

    @Test func removeRefusesAttachedImagesAndDeletesDetachedOnes() async throws {
        try await ServiceHarness.with { harness in
            try harness.makeImage("demo")
            let client = try await harness.client()
            _ = try await client.attachImage(image: "demo")
            await #expect {
                try await client.removeImage(image: "demo")
            } throws: { error in
                guard case .imageNotDetached(_, let state) = error as? Portable.Error else { return false }
                return state == .attached
            }
            _ = try await client.detachImage(image: "demo")
            _ = try await client.removeImage(image: "demo")
            #expect(!harness.exists("/var/lib/portables/demo"))
            #expect(try await client.listImages().images.isEmpty)
        }
    }

    @Test func readOnlyMarkIsReportedByList() async throws {
        try await ServiceHarness.with { harness in
            try harness.makeImage("demo")
            let client = try await harness.client()
            _ = try await client.setImageReadOnly(image: "demo", readOnly: true)
            #expect(try await client.getImage(image: "demo").image.readOnly)
            _ = try await client.setImageReadOnly(image: "demo", readOnly: false)
            #expect(try await client.getImage(image: "demo").image.readOnly == false)
        }
    }

    @Test func limitsAreNotSupportedAndNegativeOnesInvalid() async throws {
        try await ServiceHarness.with { harness in
            try harness.makeImage("demo")
            let client = try await harness.client()
            await #expect {
                try await client.setPoolLimit(limit: 1 << 30)
            } throws: { error in
                guard case .notSupported = error as? Portable.Error else { return false }
                return true
            }
            await #expect {
                try await client.setImageLimit(image: "demo", limit: -1)
            } throws: { error in
                guard case .invalidArgument(let parameter, _) = error as? Portable.Error else { return false }
                return parameter == "limit"
            }
        }
    }

    @Test func poolAndProfiles() async throws {
        try await ServiceHarness.with { harness in
            let client = try await harness.client()
            #expect(try await client.getPool().path == "/var/lib/portables")
            let profiles = try await client.listProfiles().profiles
            #expect(profiles.contains("default") && profiles.contains("trusted"), "\(profiles)")
            #expect(profiles == profiles.sorted())
        }
    }

    @Test func mistypedParameterIsInvalidParameterNamingIt() async throws {
        try await ServiceHarness.with { harness in
            let client = try await harness.rawClient()
            defer { client.close() }
            await #expect {
                _ = try await client.call("io.berth.Portable.AttachImage", parameters: ["image": 5])
            } throws: { error in
                (error as? VarlinkRemoteError)?.serviceError == .invalidParameter(parameter: "image")
            }
        }
    }

    @Test func interfaceDescriptionIsServed() async throws {
        try await ServiceHarness.with { harness in
            let client = try await harness.rawClient()
            defer { client.close() }
            let reply = try await client.call(
                "org.varlink.service.GetInterfaceDescription",
                parameters: ["interface": "io.berth.Portable"]
            )
            #expect(reply["description"]?.stringValue?.contains("method AttachImage(") == true)
        }
    }
}
