import BerthClient
import Testing
import Varlink
import VarlinkJSON

/// A small in-memory implementation of io.berth.Portable: enough to see every layer of the
/// generated code (client encoding, adapter decoding, typed errors) work over a real socket.
private struct MemoryPortable: Portable.API {
    static let image = Portable.Image(
        name: "demo",
        path: "/var/lib/portables/demo",
        type: .directory,
        readOnly: false,
        modificationTimestamp: 1_700_000_000_000_000,
        state: .attachedRuntime
    )

    func listImages(
        _ parameters: Portable.ListImagesParameters
    ) async throws -> Portable.ListImagesReply {
        Portable.ListImagesReply(images: [Self.image])
    }

    func getImage(_ parameters: Portable.GetImageParameters) async throws -> Portable.GetImageReply {
        guard parameters.image == "demo" else { throw Portable.Error.noSuchImage(image: parameters.image) }
        return Portable.GetImageReply(image: Self.image)
    }

    func inspectImage(
        _ parameters: Portable.InspectImageParameters
    ) async throws -> Portable.InspectImageReply {
        let release = Portable.ReleaseFile(
            image: "/i",
            path: "/usr/lib/os-release",
            contents: "ID=demo\n",
            fields: ["ID": "demo"]
        )
        return Portable.InspectImageReply(
            metadata: Portable.ImageMetadata(
                path: "/i",
                type: .raw,
                osRelease: release,
                extensionReleases: [],
                units: [
                    Portable.UnitFile(
                        name: "demo.service",
                        image: "/i",
                        path: "/usr/lib/systemd/system/demo.service",
                        contents: "[Service]\n"
                    )
                ],
                disk: Portable.DiskInfo(
                    partitionTable: "gpt",
                    fileSystem: "squashfs",
                    verity: .signed,
                    encryption: .none
                )
            )
        )
    }

    func getImageState(
        _ parameters: Portable.GetImageStateParameters
    ) async throws -> Portable.GetImageStateReply {
        Portable.GetImageStateReply(state: parameters.extensions?.isEmpty == false ? .enabledRuntime : .detached)
    }

    func attachImage(
        _ parameters: Portable.AttachImageParameters
    ) async throws -> Portable.AttachImageReply {
        if parameters.profile == "bogus" {
            throw Portable.Error.invalidProfile(profile: "bogus", reason: "no such profile")
        }
        let mode = parameters.copyMode ?? .auto
        return Portable.AttachImageReply(
            units: ["demo.service"],
            changes: [
                Portable.Change(type: .mkdir, path: "/etc/systemd/system.attached"),
                Portable.Change(
                    type: mode == .copy ? .copy : .symlink,
                    path: "/etc/systemd/system.attached/demo.service",
                    source: "/i/demo.service"
                ),
            ],
            warnings: []
        )
    }

    func detachImage(
        _ parameters: Portable.DetachImageParameters
    ) async throws -> Portable.DetachImageReply {
        throw Portable.Error.badImage(image: parameters.image, reason: "cannot detach", file: "/etc/os-release")
    }

    func reattachImage(
        _ parameters: Portable.ReattachImageParameters
    ) async throws -> Portable.ReattachImageReply {
        Portable.ReattachImageReply(removed: [], updated: [], warnings: [])
    }

    func removeImage(
        _ parameters: Portable.RemoveImageParameters
    ) async throws -> Portable.RemoveImageReply {
        throw Portable.Error.imageNotDetached(image: parameters.image, state: .running)
    }

    func setImageReadOnly(
        _ parameters: Portable.SetImageReadOnlyParameters
    ) async throws -> Portable.SetImageReadOnlyReply {
        Portable.SetImageReadOnlyReply()
    }

    func setImageLimit(
        _ parameters: Portable.SetImageLimitParameters
    ) async throws -> Portable.SetImageLimitReply {
        throw Portable.Error.notSupported(reason: "Quota is only supported on btrfs.")
    }

    func getPool(_ parameters: Portable.GetPoolParameters) async throws -> Portable.GetPoolReply {
        Portable.GetPoolReply(path: "/var/lib/portables")
    }

    func setPoolLimit(
        _ parameters: Portable.SetPoolLimitParameters
    ) async throws -> Portable.SetPoolLimitReply {
        throw Portable.Error.tooManyOperations
    }

    func listProfiles(
        _ parameters: Portable.ListProfilesParameters
    ) async throws -> Portable.ListProfilesReply {
        Portable.ListProfilesReply(profiles: ["default", "nonetwork", "strict", "trusted"])
    }

    /// The snapshot of the one image, then one change, then a last reply (a real watch never ends).
    func watchImages(
        _ parameters: Portable.WatchImagesParameters,
        replies: Portable.ReplySink<Portable.WatchImagesReply>
    ) async throws -> Portable.WatchImagesReply {
        func event(_ kind: Portable.ImageEventKind, _ state: Portable.ImageState) -> Portable.WatchImagesReply {
            let unit = Portable.ImageEventUnit(name: "demo.service", activeState: "active", unitFileState: nil)
            return Portable.WatchImagesReply(
                event: Portable.ImageEvent(
                    kind: kind,
                    image: parameters.images?.first ?? "demo",
                    state: state,
                    readOnly: false,
                    units: state == .detached ? [] : [unit],
                    timestamp: 1_700_000_000_000_000
                )
            )
        }
        await replies.send(event(.snapshot, .detached))
        await replies.send(event(.attached, .attachedRuntime))
        return event(.running, .runningRuntime)
    }
}

@Suite("Generated io.berth.Portable over a real socket")
struct PortableRoundTripTests {
    @Test("typed calls round-trip every kind of value")
    func roundTrip() async throws {
        let server = try GeneratedServer([Portable.ServiceAdapter(MemoryPortable())])
        let connection = try await server.connect()
        let client = Portable.Client(connection)
        #expect(try await client.listImages().images == [MemoryPortable.image])
        #expect(try await client.getImage(image: "demo").image.state == .attachedRuntime)
        let metadata = try await client.inspectImage(image: "/i").metadata
        #expect(metadata.disk?.verity == .signed)
        #expect(metadata.osRelease.fields["ID"] == "demo")
        #expect(metadata.units.map(\.name) == ["demo.service"])
        #expect(try await client.getImageState(image: "demo", extensions: ["/e"]).state == .enabledRuntime)
        let attached = try await client.attachImage(image: "demo", copyMode: .copy, runtime: true)
        #expect(attached.changes.map(\.type) == [.mkdir, .copy])
        #expect(attached.changes[0].source == nil)
        #expect(try await client.listProfiles().profiles.count == 4)
        #expect(try await client.getPool().limit == nil)
        _ = try await client.setImageReadOnly(image: "demo")
        connection.close()
        await server.stop()
    }

    @Test("WatchImages streams typed events through the client's AsyncSequence; without more: ExpectedMore")
    func watchStream() async throws {
        let server = try GeneratedServer([Portable.ServiceAdapter(MemoryPortable())])
        let client = Portable.Client(try await server.connect())
        var events: [Portable.ImageEvent] = []
        for try await reply in client.watchImagesStream(images: ["web"]) { events.append(reply.event) }
        #expect(events.map(\.kind) == [.snapshot, .attached, .running])
        #expect(events.map(\.state) == [.detached, .attachedRuntime, .runningRuntime])
        #expect(events.allSatisfy { $0.image == "web" && $0.timestamp == 1_700_000_000_000_000 })
        #expect(events[2].units == [Portable.ImageEventUnit(name: "demo.service", activeState: "active")])
        await #expect(throws: VarlinkRemoteError(name: "org.varlink.service.ExpectedMore")) {
            _ = try await server.connect().call("io.berth.Portable.WatchImages")
        }
        await server.stop()
    }

    @Test("errors of the interface arrive as typed Portable.Error values")
    func typedErrors() async throws {
        let server = try GeneratedServer([Portable.ServiceAdapter(MemoryPortable())])
        let connection = try await server.connect()
        let client = Portable.Client(connection)
        await #expect(throws: Portable.Error.noSuchImage(image: "nope")) {
            _ = try await client.getImage(image: "nope")
        }
        await #expect(throws: Portable.Error.invalidProfile(profile: "bogus", reason: "no such profile")) {
            _ = try await client.attachImage(image: "demo", profile: "bogus")
        }
        await #expect(throws: Portable.Error.imageNotDetached(image: "demo", state: .running)) {
            _ = try await client.removeImage(image: "demo")
        }
        await #expect(throws: Portable.Error.tooManyOperations) { _ = try await client.setPoolLimit() }
        await #expect(throws: Portable.Error.badImage(image: "x", reason: "cannot detach", file: "/etc/os-release")) {
            _ = try await client.detachImage(image: "x")
        }
        connection.close()
        await server.stop()
    }

    @Test(
        "bad parameters get InvalidParameter naming them before the implementation runs",
        arguments: [
            (#"{"image":"demo","copyMode":"hardlink"}"#, "copyMode"),
            (#"{"image":5}"#, "image"),
            (#"{}"#, "image"),
            (#"{"image":null}"#, "image"),
            (#"{"image":"demo","runtime":"yes"}"#, "runtime"),
            (#"{"image":"demo","unlock":{"passphrase":1}}"#, "unlock"),
            (#"{"image":"demo","surprise":true}"#, "surprise"),
            (#"{"image":"demo","extensions":["a",null]}"#, "extensions"),
        ]
    )
    func invalidParameter(_ json: String, _ parameter: String) async throws {
        let server = try GeneratedServer([Portable.ServiceAdapter(MemoryPortable())])
        let connection = try await server.connect()
        let parameters = try #require(try JSONParser.parse(json).objectValue)
        let error = await #expect(throws: VarlinkRemoteError.self) {
            _ = try await connection.call("io.berth.Portable.AttachImage", parameters: parameters)
        }
        #expect(error?.serviceError == .invalidParameter(parameter: parameter))
        connection.close()
        await server.stop()
    }

    @Test("GetInterfaceDescription returns the canonical text; unknown methods get MethodNotFound")
    func introspection() async throws {
        let server = try GeneratedServer([Portable.ServiceAdapter(MemoryPortable())])
        let connection = try await server.connect()
        let reply = try await connection.call(
            "org.varlink.service.GetInterfaceDescription",
            parameters: ["interface": "io.berth.Portable"]
        )
        #expect(reply["description"]?.stringValue == Portable.interfaceDescription)
        #expect(Portable.interfaceDescription.hasPrefix("# Berth: attach, detach"))
        let error = await #expect(throws: VarlinkRemoteError.self) {
            _ = try await connection.call("io.berth.Portable.Explode", parameters: [:])
        }
        #expect(error?.serviceError == .methodNotFound(method: "io.berth.Portable.Explode"))
        connection.close()
        await server.stop()
    }
}
