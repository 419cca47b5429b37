extension JSONReader {
    /// Parses a number at `index` (a `-` or a digit).
    ///
    /// Integers are accumulated exactly while scanning; anything else goes through the standard
    /// library's correctly rounded `Double` parser, so doubles round-trip.
    mutating func parseNumber() throws(JSONError) -> JSONValue {
        let start = index
        let negative = base[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        guard index < end else { throw JSONError(.invalidNumber, at: start) }
        var magnitude: UInt64 = 0
        var overflow = false
        let first = base[index]
        if first == UInt8(ascii: "0") {
            index += 1
            if index < end && isDigit(base[index]) { throw JSONError(.leadingZero, at: index - 1) }
        } else if isDigit(first) {
            while index < end, isDigit(base[index]) {
                let (product, multiplyOverflow) = magnitude.multipliedReportingOverflow(by: 10)
                let (sum, addOverflow) = product.addingReportingOverflow(UInt64(base[index] - UInt8(ascii: "0")))
                overflow = overflow || multiplyOverflow || addOverflow
                magnitude = sum
                index += 1
            }
        } else {
            throw JSONError(.invalidNumber, at: start)
        }
        var isInteger = true
        if index < end && base[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            try skipDigits(numberStart: start)
        }
        if index < end && (base[index] == UInt8(ascii: "e") || base[index] == UInt8(ascii: "E")) {
            isInteger = false
            index += 1
            if index < end && (base[index] == UInt8(ascii: "+") || base[index] == UInt8(ascii: "-")) { index += 1 }
            try skipDigits(numberStart: start)
        }
        if isInteger && !overflow {
            if !negative {
                if magnitude <= UInt64(Int64.max) { return .int(Int64(magnitude)) }
                return .uint(magnitude)
            }
            if magnitude <= UInt64(Int64.max) { return .int(-Int64(magnitude)) }
            if magnitude == UInt64(Int64.max) + 1 { return .int(Int64.min) }
        }
        let text = String(decoding: UnsafeBufferPointer(start: base + start, count: index - start), as: UTF8.self)
        guard let value = Double(text), value.isFinite else { throw JSONError(.numberOutOfRange, at: start) }
        return .double(value)
    }

    @inline(__always)
    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// Skips one or more digits; a fraction or exponent without digits is malformed.
    private mutating func skipDigits(numberStart: Int) throws(JSONError) {
        guard index < end, isDigit(base[index]) else { throw JSONError(.invalidNumber, at: numberStart) }
        while index < end, isDigit(base[index]) { index += 1 }
    }
}
