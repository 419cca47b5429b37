import BerthClient
import Foundation
import Varlink
import VarlinkJSON

/// Answers GetImage with a fixed image; everything else is unimplemented.
struct BenchService: Portable.API {
    static let image = Portable.Image(
        name: "demo",
        path: "/var/lib/portables/demo",
        type: .raw,
        readOnly: true,
        creationTimestamp: 1_700_000_000_000_000,
        modificationTimestamp: 1_700_000_000_000_001,
        usage: 123_456_789,
        state: .runningRuntime
    )
    static let reply = Portable.GetImageReply(image: image)

    func getImage(_ parameters: Portable.GetImageParameters) async throws -> Portable.GetImageReply {
        Self.reply
    }
    func listImages(_ p: Portable.ListImagesParameters) async throws -> Portable.ListImagesReply {
        throw Portable.Error.tooManyOperations
    }
    func inspectImage(
        _ p: Portable.InspectImageParameters
    ) async throws -> Portable.InspectImageReply { throw Portable.Error.tooManyOperations }
    func getImageState(
        _ p: Portable.GetImageStateParameters
    ) async throws -> Portable.GetImageStateReply { throw Portable.Error.tooManyOperations }
    func attachImage(_ p: Portable.AttachImageParameters) async throws -> Portable.AttachImageReply {
        throw Portable.Error.tooManyOperations
    }
    func detachImage(_ p: Portable.DetachImageParameters) async throws -> Portable.DetachImageReply {
        throw Portable.Error.tooManyOperations
    }
    func reattachImage(
        _ p: Portable.ReattachImageParameters
    ) async throws -> Portable.ReattachImageReply { throw Portable.Error.tooManyOperations }
    func removeImage(_ p: Portable.RemoveImageParameters) async throws -> Portable.RemoveImageReply {
        throw Portable.Error.tooManyOperations
    }
    func setImageReadOnly(
        _ p: Portable.SetImageReadOnlyParameters
    ) async throws -> Portable.SetImageReadOnlyReply { throw Portable.Error.tooManyOperations }
    func setImageLimit(
        _ p: Portable.SetImageLimitParameters
    ) async throws -> Portable.SetImageLimitReply { throw Portable.Error.tooManyOperations }
    func getPool(_ p: Portable.GetPoolParameters) async throws -> Portable.GetPoolReply {
        throw Portable.Error.tooManyOperations
    }
    func setPoolLimit(
        _ p: Portable.SetPoolLimitParameters
    ) async throws -> Portable.SetPoolLimitReply { throw Portable.Error.tooManyOperations }
    func listProfiles(
        _ p: Portable.ListProfilesParameters
    ) async throws -> Portable.ListProfilesReply { throw Portable.Error.tooManyOperations }
}

/// What a careful hand-written client would do: build the object, read the fields it needs.
struct HandImage {
    var name: String
    var path: String
    var type: String
    var readOnly: Bool
    var usage: Int?
    var state: String
}

func handWrittenGetImage(_ connection: VarlinkClient, _ image: String) async throws -> HandImage {
    let reply = try await connection.call("io.berth.Portable.GetImage", parameters: ["image": .string(image)])
    guard case .object(let object)? = reply["image"],
        let name = object["name"]?.stringValue, let path = object["path"]?.stringValue,
        let type = object["type"]?.stringValue, let readOnly = object["readOnly"]?.boolValue,
        let state = object["state"]?.stringValue
    else { throw VarlinkServiceError.invalidParameter(parameter: "image") }
    return HandImage(
        name: name,
        path: path,
        type: type,
        readOnly: readOnly,
        usage: object["usage"]?.int64Value.map { Int($0) },
        state: state
    )
}

@main
struct PortableBench {
    static func main() async throws {
        let rounds = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 10
        let callsPerRound = 2000
        let directory = NSTemporaryDirectory() + "portable-bench-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let server = VarlinkServer(
            configuration: .init(
                vendor: "Berth",
                product: "portable-bench",
                version: "1",
                url: "https://example.invalid"
            )
        )
        server.register(Portable.ServiceAdapter(BenchService()))
        try server.listen(on: .unixPath(directory + "/s"))
        let running = Task { _ = try? await server.run() }
        let connection = try await VarlinkClient.connect(to: "unix:" + directory + "/s")
        let client = Portable.Client(connection)
        let clock = ContinuousClock()
        var generated: [Double] = []
        var hand: [Double] = []
        // Warm up both paths, then interleave rounds so drift affects both equally.
        for _ in 0..<500 {
            _ = try await client.getImage(image: "demo")
            _ = try await handWrittenGetImage(connection, "demo")
        }
        for _ in 0..<rounds {
            var start = clock.now
            for _ in 0..<callsPerRound { _ = try await handWrittenGetImage(connection, "demo") }
            hand.append(microseconds(clock.now - start) / Double(callsPerRound))
            start = clock.now
            for _ in 0..<callsPerRound { _ = try await client.getImage(image: "demo") }
            generated.append(microseconds(clock.now - start) / Double(callsPerRound))
        }
        connection.close()
        server.shutdown()
        await running.value

        // The generated layer alone, without the socket: encode parameters + decode the reply.
        let replyObject = BenchService.reply.jsonObject
        let iterations = 200_000
        var start = clock.now
        for _ in 0..<iterations {
            let parameters = Portable.GetImageParameters(image: "demo").jsonObject
            precondition(parameters.count == 1)
            let decoded = try Portable.GetImageReply(jsonObject: replyObject, strict: false)
            precondition(decoded.image.readOnly)
        }
        let generatedLayer = microseconds(clock.now - start) * 1000 / Double(iterations)
        start = clock.now
        for _ in 0..<iterations {
            let parameters: JSONObject = ["image": .string("demo")]
            precondition(parameters.count == 1)
            guard case .object(let object)? = replyObject["image"], object["readOnly"]?.boolValue == true,
                object["name"]?.stringValue != nil, object["path"]?.stringValue != nil,
                object["type"]?.stringValue != nil, object["state"]?.stringValue != nil
            else { fatalError() }
        }
        let handLayer = microseconds(clock.now - start) * 1000 / Double(iterations)

        let handMedian = median(hand)
        let generatedMedian = median(generated)
        print(String(format: "round trip over a Unix socket (median of %d rounds x %d calls):", rounds, callsPerRound))
        print(String(format: "  hand-written  %.2f us/call", handMedian))
        print(
            String(
                format: "  generated     %.2f us/call  (%+.1f %%)",
                generatedMedian,
                (generatedMedian / handMedian - 1) * 100
            )
        )
        print(
            String(
                format: "conversion layer only: generated %.0f ns/call, hand-written %.0f ns/call",
                generatedLayer,
                handLayer
            )
        )
    }

    static func microseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1e6 + Double(duration.components.attoseconds) / 1e12
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted[sorted.count / 2]
    }
}
