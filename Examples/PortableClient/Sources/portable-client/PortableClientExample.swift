import BerthClient
import Foundation
import Varlink

/// `portable-client [ADDRESS]` lists the images of a running berthd (default /run/berth/io.berth.Portable);
/// `portable-client --demo` first serves an in-memory io.berth.Portable on a temporary socket.
@main
struct PortableClientExample {
    static func main() async {
        let arguments = CommandLine.arguments.dropFirst()
        do {
            if arguments.first == "--demo" {
                try await runDemo()
            } else {
                try await show(try await Portable.Client.connect(to: arguments.first ?? Portable.Client.defaultAddress))
            }
        } catch {
            FileHandle.standardError.write(Data("portable-client: \(error)\n".utf8))
            exit(1)
        }
    }

    static func runDemo() async throws {
        let directory = NSTemporaryDirectory() + "portable-client-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let server = VarlinkServer(
            configuration: .init(
                vendor: "Berth",
                product: "portable-client demo",
                version: "1",
                url: "https://example.invalid"
            )
        )
        server.register(Portable.ServiceAdapter(DemoService()))
        try server.listen(on: .unixPath(directory + "/io.berth.Portable"))
        let running = Task { _ = try? await server.run() }
        defer { server.shutdown() }
        let client = try await Portable.Client.connect(to: "unix:" + directory + "/io.berth.Portable")
        try await show(client)
        client.varlinkConnection.close()
        server.shutdown()
        await running.value
    }

    static func show(_ berth: Portable.Client) async throws {
        let images = try await berth.listImages().images
        print("NAME TYPE RO STATE")
        for image in images {
            print(
                image.name,
                image.type.rawValue,
                image.readOnly ? "yes" : "no",
                image.state.rawValue.replacingOccurrences(of: "_", with: "-")
            )
        }
        guard let first = images.first else { return print("No images.") }
        let metadata = try await berth.inspectImage(image: first.name).metadata
        print(
            "\n\(first.name): \(metadata.osRelease.fields["PRETTY_NAME"] ?? metadata.osRelease.fields["ID"] ?? "n/a")"
        )
        for unit in metadata.units { print("  unit \(unit.name)") }
        do {
            _ = try await berth.getImage(image: "no-such-image")
        } catch Portable.Error.noSuchImage(let image) {
            print("\nGetImage(\(image)) -> io.berth.Portable.NoSuchImage, as a typed Swift error")
        }
    }
}
