/// How long to wait for a reply: a number of seconds (fractions allowed) or `infinity`.
struct ReplyTimeout: Sendable, Equatable {
    /// `nil` means wait forever.
    let seconds: Double?

    /// varlinkctl's (and sd-varlink's) default per-call timeout.
    static let standard = ReplyTimeout(seconds: 45)
    static let infinite = ReplyTimeout(seconds: nil)

    init(seconds: Double?) { self.seconds = seconds }

    init?(argument: String) {
        if argument == "infinity" || argument == "inf" {
            self.seconds = nil
            return
        }
        var text = Substring(argument)
        if text.hasSuffix("s") { text = text.dropLast() }
        guard let value = Double(text), value.isFinite, value >= 0 else { return nil }
        // 0 means "the default", as sd_varlink_set_relative_timeout(0) does.
        self.seconds = value == 0 ? Self.standard.seconds : value
    }
}

extension Double {
    /// Without a trailing `.0` for whole numbers.
    var formatted: String {
        rounded() == self && abs(self) < 1e15 ? String(Int64(self)) : String(self)
    }
}
