/// Version ordering as systemd's `strverscmp_improved()` defines it (used by vpick and sysupdate):
///
/// * characters other than alphanumerics and `~ - ^ .` are skipped;
/// * `~` sorts lowest, even below the end of the string (`1.0~rc1` < `1.0`);
/// * otherwise a string that ended is older than one that continues (`1.0` < `1.0.1`, `1.0` < `1.0^p1`);
/// * at a separator, `-` < `^` < `.` < an alphanumeric segment;
/// * digit runs compare numerically (leading zeros ignored) and are newer than letter runs;
///   letter runs compare bytewise, a longer run with the same prefix being newer.
package enum VersionComparison {
    /// Negative if `a` is older than `b`, zero if equal, positive if newer.
    package static func compare(_ a: String, _ b: String) -> Int {
        let left = Array(a.utf8)
        let right = Array(b.utf8)
        var i = 0
        var j = 0
        func isVersionByte(_ byte: UInt8) -> Bool {
            isAlphanumeric(byte) || byte == UInt8(ascii: "~") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "^")
                || byte == UInt8(ascii: ".")
        }
        func order(_ x: Bool, _ y: Bool) -> Int { x == y ? 0 : (x ? 1 : -1) }

        while true {
            while i < left.count, !isVersionByte(left[i]) { i += 1 }
            while j < right.count, !isVersionByte(right[j]) { j += 1 }
            let x: UInt8? = i < left.count ? left[i] : nil
            let y: UInt8? = j < right.count ? right[j] : nil

            if x == UInt8(ascii: "~") || y == UInt8(ascii: "~") {
                let r = order(x != UInt8(ascii: "~"), y != UInt8(ascii: "~"))
                if r != 0 { return r }
                i += 1
                j += 1
                continue
            }
            if x == nil || y == nil { return order(x != nil, y != nil) }
            var separatorMatched = false
            for separator in ["-", "^", "."] {
                let s = UInt8(ascii: Unicode.Scalar(separator)!)
                if x == s || y == s {
                    let r = order(x != s, y != s)
                    if r != 0 { return r }
                    i += 1
                    j += 1
                    separatorMatched = true
                    break
                }
            }
            if separatorMatched { continue }

            if isDigit(x!) || isDigit(y!) {
                // Leading zeros do not count.
                _ = run(in: left, from: &i) { $0 == UInt8(ascii: "0") }
                _ = run(in: right, from: &j) { $0 == UInt8(ascii: "0") }
                let leftDigits = run(in: left, from: &i, while: isDigit)
                let rightDigits = run(in: right, from: &j, while: isDigit)
                if leftDigits.count != rightDigits.count { return leftDigits.count < rightDigits.count ? -1 : 1 }
                for (l, r) in zip(leftDigits, rightDigits) where l != r { return l < r ? -1 : 1 }
            } else {
                let leftLetters = run(in: left, from: &i, while: isLetter)
                let rightLetters = run(in: right, from: &j, while: isLetter)
                for (l, r) in zip(leftLetters, rightLetters) where l != r { return l < r ? -1 : 1 }
                if leftLetters.count != rightLetters.count { return leftLetters.count < rightLetters.count ? -1 : 1 }
            }
        }
    }

    /// The bytes from `index` on that satisfy `predicate`; `index` moves past them.
    static func run(in bytes: [UInt8], from index: inout Int, while predicate: (UInt8) -> Bool) -> ArraySlice<UInt8> {
        let start = index
        while index < bytes.count, predicate(bytes[index]) { index += 1 }
        return bytes[start..<index]
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
    static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    }
    static func isAlphanumeric(_ byte: UInt8) -> Bool { isDigit(byte) || isLetter(byte) }
}
