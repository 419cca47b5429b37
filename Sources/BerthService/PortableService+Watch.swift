package import BerthClient
import Varlink

/// io.berth.Portable.WatchImages.
extension PortableService {
    /// Streams the snapshot, then every change, until the caller goes away (the connection closes, or
    /// in process the task is cancelled). Open to every caller, like the other reading methods.
    package func watchImages(
        _ parameters: Portable.WatchImagesParameters,
        replies: Portable.ReplySink<Portable.WatchImagesReply>
    ) async throws -> Portable.WatchImagesReply {
        if let images = parameters.images {
            for image in images where image.isEmpty || image.contains("/") {
                throw Portable.Error.invalidArgument(parameter: "images", reason: "'\(image)' is not an image name.")
            }
        }
        let hub = watchHub
        let (id, events) = try await hub.subscribe(images: parameters.images, sink: replies)
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                // In process only: a connection's events are written by the hub directly.
                for await event in events {
                    await replies.offer(Portable.WatchImagesReply(event: event))
                    if !replies.isConnected { return }
                }
            }
            group.addTask { await replies.waitUntilDisconnected() }
            await group.next()
            group.cancelAll()
        }
        await hub.unsubscribe(id)
        // Nobody is left to read a last reply: the connection closed or the caller cancelled.
        throw CancellationError()
    }

    /// How many watchers are connected (tests, benchmarks).
    package var watcherCount: Int {
        get async { await watchHub.watcherCount }
    }
}
