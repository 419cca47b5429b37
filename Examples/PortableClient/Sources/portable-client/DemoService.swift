import BerthClient
import Varlink

/// A tiny in-memory io.berth.Portable service, so the example runs without berthd.
struct DemoService: Portable.API {
    static let demo = Portable.Image(
        name: "demo",
        path: "/var/lib/portables/demo",
        type: .directory,
        readOnly: true,
        state: .detached
    )

    func listImages(
        _ parameters: Portable.ListImagesParameters
    ) async throws -> Portable.ListImagesReply {
        Portable.ListImagesReply(images: [Self.demo])
    }

    func getImage(_ parameters: Portable.GetImageParameters) async throws -> Portable.GetImageReply {
        guard parameters.image == Self.demo.name || parameters.image == Self.demo.path else {
            throw Portable.Error.noSuchImage(image: parameters.image)
        }
        return Portable.GetImageReply(image: Self.demo)
    }

    func inspectImage(
        _ parameters: Portable.InspectImageParameters
    ) async throws -> Portable.InspectImageReply {
        _ = try await getImage(Portable.GetImageParameters(image: parameters.image))
        let osRelease = Portable.ReleaseFile(
            image: Self.demo.path,
            path: "/usr/lib/os-release",
            contents: "ID=demo\nPORTABLE_PREFIXES=demo\n",
            fields: ["ID": "demo", "PORTABLE_PREFIXES": "demo"]
        )
        let unit = Portable.UnitFile(
            name: "demo.service",
            image: Self.demo.path,
            path: "/usr/lib/systemd/system/demo.service",
            contents: "[Service]\nExecStart=/usr/bin/sleep infinity\n"
        )
        return Portable.InspectImageReply(
            metadata: Portable.ImageMetadata(
                path: Self.demo.path,
                type: .directory,
                osRelease: osRelease,
                extensionReleases: [],
                units: [unit]
            )
        )
    }

    func getImageState(
        _ parameters: Portable.GetImageStateParameters
    ) async throws -> Portable.GetImageStateReply {
        Portable.GetImageStateReply(state: .detached)
    }

    func attachImage(
        _ parameters: Portable.AttachImageParameters
    ) async throws -> Portable.AttachImageReply {
        let directory = parameters.runtime == true ? "/run/systemd/system.attached" : "/etc/systemd/system.attached"
        return Portable.AttachImageReply(
            units: ["demo.service"],
            changes: [
                Portable.Change(type: .write, path: directory + "/demo.service.d/20-portable.conf"),
                Portable.Change(
                    type: .copy,
                    path: directory + "/demo.service",
                    source: Self.demo.path + "/usr/lib/systemd/system/demo.service"
                ),
            ],
            warnings: []
        )
    }

    func detachImage(
        _ parameters: Portable.DetachImageParameters
    ) async throws -> Portable.DetachImageReply {
        throw Portable.Error.imageNotAttached(image: parameters.image)
    }

    func reattachImage(
        _ parameters: Portable.ReattachImageParameters
    ) async throws -> Portable.ReattachImageReply {
        throw Portable.Error.imageNotAttached(image: parameters.image)
    }

    func removeImage(
        _ parameters: Portable.RemoveImageParameters
    ) async throws -> Portable.RemoveImageReply {
        throw Portable.Error.imageReadOnly(image: parameters.image)
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
        throw Portable.Error.notSupported(reason: "Quota is only supported on btrfs.")
    }

    func listProfiles(
        _ parameters: Portable.ListProfilesParameters
    ) async throws -> Portable.ListProfilesReply {
        Portable.ListProfilesReply(profiles: ["default", "nonetwork", "strict", "trusted"])
    }
}
