import Testing
import Varlink
import VarlinkJSON

/// io.systemd.MachineImage.List is marked `[Supports 'more' flag]`: the generated client streams it
/// and the generated adapter hands the implementation a reply sink.
private struct ImageLister: MachineImage.API {
    func list(
        _ parameters: MachineImage.ListParameters,
        replies: MachineImage.ReplySink<MachineImage.ListReply>
    ) async throws -> MachineImage.ListReply {
        let all: [String] = ["alpha", "beta", "gamma"]
        let names = all.filter { name in parameters.name.map { $0 == name } ?? true }
        guard let last = names.last else { throw MachineImage.Error.noSuchImage }
        if replies.isStreaming {
            for name in names.dropLast() { await replies.send(Self.entry(name)) }
        }
        return Self.entry(last)
    }

    static func entry(_ name: String) -> MachineImage.ListReply {
        MachineImage.ListReply(
            name: name,
            type: "directory",
            class: "machine",
            readOnly: false,
            OSRelease: ["ID=\(name)"]
        )
    }

    func update(_ parameters: MachineImage.UpdateParameters) async throws -> MachineImage.UpdateReply {
        MachineImage.UpdateReply()
    }

    func clone(_ parameters: MachineImage.CloneParameters) async throws -> MachineImage.CloneReply {
        throw MachineImage.Error.tooManyOperations
    }

    func remove(_ parameters: MachineImage.RemoveParameters) async throws -> MachineImage.RemoveReply {
        MachineImage.RemoveReply()
    }
}

@Suite("Generated streaming methods")
struct StreamingTests {
    @Test("a more call yields every reply in order; a plain call gets the last one")
    func stream() async throws {
        let server = try GeneratedServer([MachineImage.ServiceAdapter(ImageLister())])
        let client = MachineImage.Client(try await server.connect())
        var names: [String] = []
        for try await entry in client.listStream() { names.append(entry.name) }
        #expect(names == ["alpha", "beta", "gamma"])
        #expect(try await client.list(name: "beta").OSRelease == ["ID=beta"])
        client.varlinkConnection.close()
        await server.stop()
    }

    @Test("an error ends the stream as a typed error")
    func streamError() async throws {
        let server = try GeneratedServer([MachineImage.ServiceAdapter(ImageLister())])
        let client = MachineImage.Client(try await server.connect())
        await #expect(throws: MachineImage.Error.noSuchImage) {
            for try await _ in client.listStream(name: "delta") {}
        }
        client.varlinkConnection.close()
        await server.stop()
    }
}
