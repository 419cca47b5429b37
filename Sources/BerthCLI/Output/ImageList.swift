package import BerthClient

/// `list`: the images in the search path, as a table like portablectl's.
package enum ImageList {
    package static func render(_ images: [Portable.Image], legend: Bool) -> String {
        var output = ""
        if !images.isEmpty {
            var table = TextTable(headers: ["name", "type", "ro", "crtime", "mtime", "usage", "state"])
            for image in images {
                table.append([
                    image.name,
                    image.type.rawValue,
                    ValueFormatting.yesNo(image.readOnly),
                    // portablectl's table: "-" for a time it does not know, nothing for a size.
                    image.creationTimestamp.map { ValueFormatting.timestamp(microseconds: UInt64(clamping: $0)) }
                        ?? "-",
                    image.modificationTimestamp.map {
                        ValueFormatting.timestamp(microseconds: UInt64(clamping: $0))
                    } ?? "-",
                    image.usage.map { ValueFormatting.bytes(UInt64(clamping: $0)) } ?? "",
                    image.state.text,
                ])
            }
            output += table.render(header: legend)
        }
        if legend {
            output += images.isEmpty ? "No images.\n" : "\n\(images.count) images listed.\n"
        }
        return output
    }
}
