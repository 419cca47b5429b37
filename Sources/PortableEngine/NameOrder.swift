/// Names ordered and told apart as systemd does: by their bytes, like `strcmp` and `streq`.
///
/// Swift's `String` compares by Unicode canonical equivalence: the decomposed "cafe\u{301}" equals
/// the precomposed "caf\u{E9}" and sorts after "caff". To systemd these are two names, the decomposed
/// one first (`e` < `f` < 0xC3). Every name order systemd shows is bytewise: portabled's unit files
/// (`compare_metadata`), portablectl's `list` table (format-table's string cells), the profiles
/// (conf-files' `path_compare_filename`), each `strcmp`: B < a, foo10 < foo9 (portablectl 257 and 262,
/// Tests/compat `*-name-order`, `inspect-unit-order`). Version order (`strverscmp_improved`) only picks
/// vpick's newest entry (`VersionComparison`, in DiskImage); it orders no listing.
package enum NameOrder {
    /// Whether `a` sorts before `b` bytewise (UTF-8, unsigned), as `strcmp(a, b) < 0`.
    package static func precedes(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    /// A name as a set element or dictionary key: equal only when the bytes are (`streq`), so two
    /// files whose names differ in Unicode normalization stay two entries.
    package struct Key: Hashable, Comparable, Sendable {
        package let name: String

        package init(_ name: String) { self.name = name }

        package static func == (a: Key, b: Key) -> Bool { a.name.utf8.elementsEqual(b.name.utf8) }
        package static func < (a: Key, b: Key) -> Bool { NameOrder.precedes(a.name, b.name) }
        package func hash(into hasher: inout Hasher) {
            let hashed: Void? = name.utf8.withContiguousStorageIfAvailable { bytes in
                hasher.combine(bytes: UnsafeRawBufferPointer(bytes))
            }
            if hashed == nil { for byte in name.utf8 { hasher.combine(byte) } }
        }
    }
}

extension Sequence {
    /// The elements sorted by the name `name` gives each, bytewise (`NameOrder`).
    package func sorted(byName name: (Element) -> String) -> [Element] {
        sorted { NameOrder.precedes(name($0), name($1)) }
    }
}

extension Sequence<String> {
    /// The names sorted bytewise (`NameOrder`), where `sorted()` would sort them as Swift compares.
    package func sortedByName() -> [String] {
        sorted(by: NameOrder.precedes)
    }
}
