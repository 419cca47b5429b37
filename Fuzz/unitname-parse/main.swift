import PortableEngine

/// Any bytes as a unit, image or profile name (they arrive from clients and from image directories): the
/// validators never crash and agree with the rules they promise, and the name derivations stay consistent.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNames(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let name = String(decoding: bytes, as: UTF8.self)
    let utf8 = Array(name.utf8)

    let isFileName = PortableNames.isValidFileName(name)
    if isFileName {
        precondition(!utf8.isEmpty && utf8.count <= 255, "file name length")
        precondition(!utf8.contains(UInt8(ascii: "/")) && !utf8.contains(0), "file name has / or NUL")
        precondition(name != "." && name != "..", "dot file name accepted")
    }
    if PortableNames.isValidImageName(name) {
        precondition(isFileName, "image name that is no file name")
        precondition(!name.hasPrefix(".#"), "temporary (.#) image name accepted")
        precondition(utf8.allSatisfy { $0 >= 0x20 && $0 != 0x7F }, "control character in image name")
    }
    if PortableNames.isValidProfileName(name) {
        precondition(PortableNames.isValidImageName(name) && !name.hasPrefix("."), "profile name rules")
    }
    if PortableNames.isValidUnitName(name) {
        precondition(isFileName, "unit name that is no file name")
        precondition(!PortableNames.unitType(name).isEmpty, "unit name without a type")
        precondition(!name.hasPrefix("@"), "unit name starting with @")
        _ = PortableNames.isTemplate(name)
    }

    // Derivations from paths never crash, and what they return is a plain component.
    let last = PortableNames.lastComponent(name)
    precondition(!last.utf8.contains(UInt8(ascii: "/")), "last component contains /")
    let base = PortableNames.imageBaseName(name)
    precondition(!base.utf8.contains(UInt8(ascii: "/")), "base name contains /")
    _ = PortableNames.displayName(name)
    if let prefix = try? PortableNames.derivedPrefix(name) {
        precondition(!prefix.isEmpty, "empty derived prefix")
    }
    if PortableNames.isNormalizedAbsolutePath(name) {
        precondition(name.hasPrefix("/"), "normalized absolute path without leading /")
        precondition(!name.contains("//") && !name.contains("/./") && !name.contains("/../"), "unnormalized path")
    }

    // Matching: the input split at its first NUL is a unit and a prefix.
    if let split = utf8.firstIndex(of: 0) {
        let unit = String(decoding: utf8[..<split], as: UTF8.self)
        let prefix = String(decoding: utf8[(split + 1)...], as: UTF8.self)
        _ = PortableNames.unitMatches(unit, prefixes: [prefix])
    }
    return 0
}
