#if canImport(Glibc)
import Glibc
#endif

/// Renders values the way systemd's format-table does, so `list` output matches portablectl's.
package enum ValueFormatting {
    /// `Tue 2026-12-01 21:38:25 UTC` in local time; `n/a` when unset (0 or UINT64_MAX).
    package static func timestamp(microseconds: UInt64?) -> String {
        guard let microseconds, microseconds != 0, microseconds != UInt64.max else { return "n/a" }
        var seconds = time_t(microseconds / 1_000_000)
        var broken = tm()
        guard localtime_r(&seconds, &broken) != nil else { return "n/a" }
        var buffer = [CChar](repeating: 0, count: 64)
        let count = strftime(&buffer, buffer.count, "%a %Y-%m-%d %H:%M:%S %Z", &broken)
        guard count > 0 else { return "n/a" }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// IEC sizes like systemd's `format_bytes`: `512B`, `4K`, `1.5M`, `1.8M` for 1.898 MiB (the tenth is
    /// truncated, and shown only when it is not 0); `n/a` when unknown.
    package static func bytes(_ value: UInt64?) -> String {
        guard let value, value != UInt64.max else { return "n/a" }
        let suffixes: [(String, UInt64)] = [
            ("E", 1 << 60), ("P", 1 << 50), ("T", 1 << 40), ("G", 1 << 30), ("M", 1 << 20), ("K", 1 << 10),
        ]
        for (index, (suffix, factor)) in suffixes.enumerated() where value >= factor {
            let tenths: UInt64
            if index < suffixes.count - 1 {
                tenths = (value / suffixes[index + 1].1 * 10 / (1 << 10)) % 10
            } else {
                tenths = (value * 10 / factor) % 10
            }
            return tenths == 0 ? "\(value / factor)\(suffix)" : "\(value / factor).\(tenths)\(suffix)"
        }
        return "\(value)B"
    }

    /// `yes`/`no`, as systemd prints booleans.
    package static func yesNo(_ value: Bool) -> String { value ? "yes" : "no" }

    /// Parses a size argument like portablectl's `set-limit` (base 1024, optional K/M/G/T/P/E suffix,
    /// decimals allowed); `-`, `none` and `infinity` mean unlimited (returned as nil).
    package static func parseSize(_ text: String) -> UInt64?? {
        if ["-", "none", "infinity"].contains(text) { return .some(nil) }
        var digits = Substring(text)
        var factor: UInt64 = 1
        if let last = digits.last, let power = "BKMGTPE".firstIndex(of: last.uppercased().first!) {
            let exponent = "BKMGTPE".distance(from: "BKMGTPE".startIndex, to: power)
            factor = UInt64(1) << (10 * UInt64(exponent))
            digits = digits.dropLast()
        }
        let parts = digits.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let wholeText = parts.first, !wholeText.isEmpty, let whole = UInt64(wholeText) else { return nil }
        var fraction: UInt64 = 0
        if parts.count == 2 {
            let fractionText = parts[1].prefix(6)
            guard !fractionText.isEmpty, let value = UInt64(fractionText) else { return nil }
            var scale: UInt64 = 1
            for _ in 0..<fractionText.count { scale *= 10 }
            fraction = value * factor / scale
        }
        let (product, overflow) = whole.multipliedReportingOverflow(by: factor)
        guard !overflow else { return nil }
        let (total, overflow2) = product.addingReportingOverflow(fraction)
        guard !overflow2, total != UInt64.max else { return nil }
        return .some(total)
    }
}
