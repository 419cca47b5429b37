/// A minimal version of systemd's format-table: columns padded to their widest cell, one space
/// apart, the last column not padded, an upper-case header unless legends are off.
package struct TextTable: Sendable {
    package var headers: [String]
    package var rows: [[String]] = []

    package init(headers: [String]) {
        self.headers = headers
    }

    package mutating func append(_ row: [String]) {
        rows.append(row)
    }

    package func render(header: Bool) -> String {
        var widths = headers.map { header ? $0.count : 0 }
        for row in rows {
            for (column, cell) in row.enumerated() where column < widths.count {
                widths[column] = max(widths[column], cell.count)
            }
        }
        var output = ""
        func emit(_ cells: [String]) {
            for (column, cell) in cells.enumerated() {
                if column > 0 { output += " " }
                output += cell
                if column < cells.count - 1 {
                    output += String(repeating: " ", count: widths[column] - cell.count)
                }
            }
            output += "\n"
        }
        if header { emit(headers.map { $0.uppercased() }) }
        for row in rows { emit(row) }
        return output
    }
}
