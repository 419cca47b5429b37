import Glibc

/// The process's environment block (`environ[]`), read as sd-varlink's GetEnvironment does.
enum ProcessEnvironment {
    /// Every `KEY=VALUE` entry, later duplicates replacing earlier ones; nil when an entry is not
    /// valid UTF-8 or not an assignment (the block is then "inconsistent").
    static func entries() -> [String]? {
        // Glibc's `environ` is a mutable C global that Swift 6 refuses to read directly; its address
        // from the dynamic linker is the same variable.
        guard let symbol = dlsym(nil, "environ") else { return nil }
        let slot = symbol.assumingMemoryBound(to: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?.self)
        guard let block = slot.pointee else { return [] }
        var order: [String] = []
        var values: [String: String] = [:]
        var index = 0
        while let entry = block[index] {
            index += 1
            let length = strlen(entry)
            let bytes = UnsafeBufferPointer(
                start: UnsafeRawPointer(entry).assumingMemoryBound(to: UInt8.self),
                count: length
            )
            guard let text = String(validating: bytes, as: UTF8.self),
                let equals = text.firstIndex(of: "="), equals != text.startIndex
            else { return nil }
            let key = String(text[..<equals])
            if values[key] == nil { order.append(key) }
            values[key] = text
        }
        return order.compactMap { values[$0] }
    }
}
