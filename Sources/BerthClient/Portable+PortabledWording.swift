/// systemd-portabled's sentences for a `badImage` failure, which Berth's two portablectl-compatible
/// front doors print alike: berthctl's first error line and the D-Bus error message portablectl shows.
extension Portable.Error {
    /// portabled's sentence for a bad image, or nil where portabled has none (then Berth's own words,
    /// which name the file, are used). A reason of two lines is portabled's line (only completed with
    /// the image's name) and Berth's explanation (`PortableError.badImage(image:portabled:detail:file:)`).
    package static func portabledBadImageLine(image: String, reason: String) -> String? {
        let line = reason.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? reason
        // DiskImage's sentences name the image themselves ("Image '/x.raw' is truncated …").
        if line.hasPrefix("Image '") || line.hasPrefix("Couldn't ") { return line }
        if line.hasPrefix("Image ") {
            // "Image lacks os-release data, refusing." → "Image '/x' lacks os-release data, refusing."
            return "Image '\(image)'" + line.dropFirst("Image".count)
        }
        if line.hasPrefix("os-release metadata ") || line.hasPrefix("extension-release metadata ") {
            return "Image \(image) \(line)"
        }
        return nil
    }
}
