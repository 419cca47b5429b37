// The three messages of the JSON codec comparison (Ping, 50 records, 1 MiB), rebuilt deterministically.

struct ImageRecord: Codable, Equatable {
    var name: String
    var path: String
    var type: String
    var state: String
    var readOnly: Bool
    var attached: Bool
    var size: Int64
    var usage: Int64
    var created: Int64
    var modified: Int64
    var tags: [String]
}

struct ImageListReply: Codable, Equatable {
    var images: [ImageRecord]
}

struct LogReply: Codable, Equatable {
    var lines: [String]
}

enum Messages {
    /// msg1: the Ping call (71 bytes).
    static let ping = Array(#"{"method":"org.example.bench.Ping","parameters":{"ping":"hello world"}}"#.utf8)

    static func image(_ index: Int) -> ImageRecord {
        let offset = Int64(index)
        let name = "image-\(index)"
        let path = "/var/lib/portables/\(name).raw"
        let type = index % 2 == 0 ? "raw" : "directory"
        let state = index % 3 == 0 ? "attached" : "detached"
        let tags = ["portable", "service", "tag-\(index)", "x86-64", "signed"]
        return ImageRecord(
            name: name,
            path: path,
            type: type,
            state: state,
            readOnly: index % 2 == 0,
            attached: index % 3 == 0,
            size: 1_073_741_824 + offset * 4096,
            usage: 536_870_912 + offset * 512,
            created: 1_700_000_000_000_000 + offset,
            modified: 1_700_000_500_000_000 + offset,
            tags: tags
        )
    }

    /// msg2: a reply with 50 image records of 11 fields.
    static var images: ImageListReply { ImageListReply(images: (0..<50).map(image)) }

    /// msg3's strings: escapes on every line, raw non-ASCII on every 8th, `\u` escapes and a
    /// surrogate pair on every 16th; about 1 MiB in total.
    static var logLines: [String] {
        var lines: [String] = []
        var total = 0
        var index = 0
        while total < 1_040_000 {
            var line =
                "2026-11-22T10:00:\(index % 60) host berthd[\(index)]: \"attach\"\tunit=foo-\(index).service step \(index)"
            line += String(repeating: " padding", count: 9)
            if index % 8 == 0 { line += " réseau ünïcödé 日本" }
            if index % 16 == 0 { line += " é 😀" }
            lines.append(line)
            total += line.utf8.count + 6
            index += 1
        }
        return lines
    }
}
