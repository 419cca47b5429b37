import Systemd

/// Arguments of a call whose signature was checked: positional reads that cannot fail.
struct ArgumentReader {
    let values: [BusValue]

    init(_ values: [BusValue]) {
        self.values = values
    }

    func string(_ index: Int) -> String { values.indices.contains(index) ? values[index].stringValue ?? "" : "" }
    func strings(_ index: Int) -> [String] { values.indices.contains(index) ? values[index].stringsValue ?? [] : [] }
    func bool(_ index: Int) -> Bool { values.indices.contains(index) ? values[index].boolValue ?? false : false }
    func uint64(_ index: Int) -> UInt64 { values.indices.contains(index) ? values[index].uint64Value ?? 0 : 0 }
}
