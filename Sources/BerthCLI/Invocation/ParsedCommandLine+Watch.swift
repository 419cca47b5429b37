import BerthClient
import SystemCalls
import Varlink
import VarlinkJSON

/// `berthctl watch`: io.berth.Portable.WatchImages, one line (or JSON object) per event as it arrives.
extension ParsedCommandLine {
    func watch(_ images: [String]) async throws {
        Posix.exitSuccessfullyOnInterrupt()
        if global.json == .off && !global.noLegend {
            Terminal.out(Self.watchColumns(["TIME", "IMAGE", "EVENT", "STATE", "UNITS"]))
        }
        let parameters = Portable.WatchImagesParameters(images: images.isEmpty ? nil : images)
        let json = global.json
        try await failing("Failed to watch images") {
            try await global.withAPI { api in
                if let client = api as? Portable.Client {
                    // The stream, not the API form: that one holds each reply back until the next arrives.
                    for try await reply in client.watchImagesStream(parameters) { Self.print(reply.event, json: json) }
                } else {
                    _ = try await api.watchImages(
                        parameters,
                        replies: Portable.ReplySink { Self.print($0.event, json: json) }
                    )
                }
            }
        }
    }

    private static func print(_ event: Portable.ImageEvent, json: JSONMode) {
        if json != .off {
            JSONOutput.print(event.json, mode: json)
            return
        }
        let units = event.units.map { "\($0.name)(\($0.activeState))" }.joined(separator: ",")
        Terminal.out(
            watchColumns([
                watchTime(UInt64(clamping: event.timestamp)), event.image, event.kind.text, event.state.text,
                units.isEmpty ? "-" : units,
            ])
        )
    }

    /// Fixed widths for the short columns, so a terminal shows a table while lines stay greppable.
    private static func watchColumns(_ fields: [String]) -> String {
        let widths = [23, 20, 10, 16]
        var line = ""
        for (index, field) in fields.enumerated() {
            line += field
            if index < widths.count { line += String(repeating: " ", count: max(1, widths[index] - field.count + 1)) }
        }
        return line + "\n"
    }

    /// `2026-12-06 08:01:02.345`, local time with milliseconds (events come closer together than seconds).
    private static func watchTime(_ microseconds: UInt64) -> String {
        let full = ValueFormatting.timestamp(microseconds: microseconds)  // "Sun 2026-12-06 08:01:02 UTC"
        let parts = full.split(separator: " ")
        guard parts.count >= 3 else { return full }
        let milliseconds = String(microseconds / 1000 % 1000)
        return "\(parts[1]) \(parts[2]).\(String(repeating: "0", count: 3 - milliseconds.count))\(milliseconds)"
    }
}

extension Portable.ImageEventKind {
    /// `read-only`, as berthctl spells states (Varlink enum values use `_`).
    var text: String {
        String(decoding: rawValue.utf8.map { $0 == UInt8(ascii: "_") ? UInt8(ascii: "-") : $0 }, as: UTF8.self)
    }
}

extension Portable.ImageEvent {
    /// The wire form with berthctl's spellings of the event and the state.
    var json: JSONValue {
        var object = jsonObject
        object["kind"] = .string(kind.text)
        object["state"] = .string(state.text)
        return .object(object)
    }
}
