import VarlinkJSON

/// The reply of `org.varlink.service.GetInfo`, decoded leniently: Go servers omit empty strings.
struct ServiceInfo: Sendable, Equatable {
    var vendor: String
    var product: String
    var version: String
    var url: String
    var interfaces: [String]

    init(reply: JSONObject) {
        vendor = reply["vendor"]?.stringValue ?? ""
        product = reply["product"]?.stringValue ?? ""
        version = reply["version"]?.stringValue ?? ""
        url = reply["url"]?.stringValue ?? ""
        interfaces = reply["interfaces"]?.arrayValue?.compactMap(\.stringValue) ?? []
    }

    /// The aligned table varlinkctl prints: labels right-aligned, one interface per line.
    func table(on terminal: Terminal) -> String {
        let rows: [(String, [String])] = [
            ("Vendor", [vendor]), ("Product", [product]), ("Version", [version]), ("URL", [url]),
            ("Interfaces", interfaces),
        ]
        let width = rows.map(\.0.count).max() ?? 0
        var text = ""
        for (label, values) in rows {
            let head = terminal.styled(label.leftPadding(width) + ":", .bold)
            let lines = values.isEmpty ? [""] : values
            for (index, value) in lines.enumerated() {
                let prefix = index == 0 ? head : String(repeating: " ", count: width + 1)
                text += value.isEmpty ? "\(prefix)\n" : "\(prefix) \(value)\n"
            }
        }
        return text
    }
}
