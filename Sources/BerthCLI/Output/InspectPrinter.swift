package import BerthClient

/// Renders `inspect` output as portablectl does: a summary, or with `--cat` the raw files.
package enum InspectPrinter {
    package static func render(_ metadata: Portable.ImageMetadata, cat: Bool) -> String {
        cat ? files(metadata) : summary(metadata)
    }

    /// `--cat`: each file under a `-- … --` header, the sections separated by an empty line.
    private static func files(_ metadata: Portable.ImageMetadata) -> String {
        var sections = ["-- OS Release: --\n" + metadata.osRelease.contents]
        sections += metadata.extensionReleases.map { "-- Extension Release: \($0.image) --\n" + $0.contents }
        sections += metadata.units.map { "-- Unit file: \($0.name) --\n" + $0.contents }
        return sections.joined(separator: "\n")
    }

    private static func summary(_ metadata: Portable.ImageMetadata) -> String {
        let osRelease = metadata.osRelease
        var text = "Image:\n\t\(metadata.path)\n"
        // Not in portablectl's output: how a raw image was opened and checked.
        if let disk = metadata.disk { text += "Disk:\n\t\(disk.summary)\n" }
        text += "Portable Service:\n\t\(osRelease["PORTABLE_PRETTY_NAME"] ?? "n/a")\n"
        text += "Operating System:\n\t\(osRelease["PRETTY_NAME"] ?? "n/a")\n"
        text += metadata.extensionReleases.map(extensionSummary).joined()
        if !metadata.units.isEmpty {
            text += "Unit files:\n" + metadata.units.map { "\t\($0.name)\n" }.joined()
        }
        return text
    }

    private static func extensionSummary(_ file: Portable.ReleaseFile) -> String {
        let release = file
        func first(_ keys: String...) -> String? { keys.lazy.compactMap { release[$0] }.first }
        let prettyName = first("SYSEXT_PRETTY_NAME", "CONFEXT_PRETTY_NAME")
        let imageID = first("SYSEXT_ID", "SYSEXT_IMAGE_ID", "CONFEXT_ID", "CONFEXT_IMAGE_ID") ?? "n/a"
        let imageVersion =
            first(
                "SYSEXT_VERSION_ID",
                "SYSEXT_IMAGE_VERSION",
                "SYSEXT_BUILD_ID",
                "CONFEXT_VERSION_ID",
                "CONFEXT_IMAGE_VERSION",
                "CONFEXT_BUILD_ID"
            ) ?? "n/a"
        let image: String
        if let prettyName {
            image = "\(prettyName) (\(imageID) \(imageVersion))"
        } else {
            image = "ID: \(imageID) Version: \(imageVersion)"
        }
        return """
            Extension:
            \t\(file.image)
            \tExtension Scope:
            \t\t\(first("SYSEXT_SCOPE", "CONFEXT_SCOPE") ?? "n/a")
            \tExtension Compatibility Level:
            \t\t\(first("SYSEXT_LEVEL", "CONFEXT_LEVEL") ?? "n/a")
            \tExtension Compatibility OS:
            \t\t\(release["ID"] ?? "n/a")
            \tExtension Compatibility OS Version:
            \t\t\(release["VERSION_ID"] ?? "n/a")
            \tPortable Service:
            \t\t\(release["PORTABLE_PRETTY_NAME"] ?? "n/a")
            \tPortable Prefixes:
            \t\t\(release["PORTABLE_PREFIXES"] ?? "n/a")
            \tExtension Image:
            \t\t\(image)

            """
    }
}
