package import BerthClient

/// Renders `inspect` output as portablectl does: a summary, or with `--cat` the raw files.
package enum InspectPrinter {
    package static func render(_ metadata: Portable.ImageMetadata, cat: Bool) -> [UInt8] {
        var output: [UInt8] = []
        func append(_ text: String) { output.append(contentsOf: Array(text.utf8)) }
        var needsNewline = false

        if cat {
            append("-- OS Release: --\n")
            append(metadata.osRelease.contents)
            needsNewline = true
        } else {
            let osRelease = metadata.osRelease
            append("Image:\n\t\(metadata.path)\n")
            // Not in portablectl's output: how a raw image was opened and checked.
            if let disk = metadata.disk { append("Disk:\n\t\(disk.summary)\n") }
            append("Portable Service:\n\t\(osRelease["PORTABLE_PRETTY_NAME"] ?? "n/a")\n")
            append("Operating System:\n\t\(osRelease["PRETTY_NAME"] ?? "n/a")\n")
        }

        for file in metadata.extensionReleases {
            if cat {
                if needsNewline { append("\n") }
                append("-- Extension Release: \(file.image) --\n")
                append(file.contents)
                needsNewline = true
            } else {
                append(extensionSummary(file))
            }
        }

        var printedHeader = false
        for unit in metadata.units {
            if cat {
                if needsNewline { append("\n") }
                append("-- Unit file: \(unit.name) --\n")
                append(unit.contents)
                needsNewline = true
            } else {
                if !printedHeader {
                    append("Unit files:\n")
                    printedHeader = true
                }
                append("\t\(unit.name)\n")
            }
        }
        return output
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
