package import ArgumentParser
package import BerthClient

extension Berthctl {
    /// `list`: the images in the search path, as a table like portablectl's.
    package struct List: SettingsCommand {
        package static let configuration = CommandConfiguration(
            abstract: "List available portable service images.",
            discussion: """
                Columns: NAME TYPE RO CRTIME MTIME USAGE STATE, sorted by name.

                Examples:
                  berthctl list
                  berthctl list --no-legend
                  berthctl --root=/srv/tree list --json=pretty
                """
        )

        @OptionGroup package var global: GlobalOptions

        package init() {}

        package var parsedCommandLine: ParsedCommandLine {
            ParsedCommandLine(global: global.settings, verb: .list)
        }

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
}
