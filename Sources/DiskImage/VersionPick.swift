internal import SystemCalls

#if canImport(Glibc)
import Glibc
#endif

/// Picks the newest entry of a vpick `.v/` directory: for `/p/app.raw.v/` (or `/p/app.v/`) the
/// entries `app_<VERSION>[_<ARCH>][+<TRIES>].raw`, newest version by `VersionComparison`.
///
/// Entries for a foreign architecture and entries whose boot-tries counter is exhausted (`+0`,
/// `+0-N`) are skipped, as systemd does.
package enum VersionPick {
    /// Lists `directory` and returns the full path of the newest matching entry.
    /// `baseName` defaults to the directory name without `.v` and the suffix (`app.raw.v` → `app`).
    package static func pick(
        directory: String,
        baseName: String? = nil,
        suffix: String = ".raw"
    ) throws(DiskImageError) -> String {
        var trimmed = directory
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed.removeLast() }
        let entries: [DirectoryEntry]
        do {
            let handle = try FileDescriptor.currentWorkingDirectory.openat(trimmed, flags: [.readOnly, .directory])
            defer { handle.close() }
            entries = try handle.directoryEntries()
        } catch {
            throw DiskImageError(path: directory, reason: .io(error))
        }
        let name = baseName ?? defaultBaseName(of: trimmed, suffix: suffix)
        let candidates = entries.filter { $0.kind == .regular || $0.kind == .blockDevice || $0.kind == .unknown }
            .map(\.name)
        guard let newest = newest(among: candidates, baseName: name, suffix: suffix) else {
            throw DiskImageError(path: directory, reason: .noVersionFound)
        }
        return trimmed + "/" + newest
    }

    /// `app.raw.v` → `app`; `app.v` → `app`.
    package static func defaultBaseName(of directory: String, suffix: String) -> String {
        var name = String(directory.split(separator: "/").last ?? "")
        if name.hasSuffix(".v") { name.removeLast(2) }
        if name.hasSuffix(suffix) { name.removeLast(suffix.count) }
        return name
    }

    /// The newest of `names` matching `<baseName>_<VERSION>[_<ARCH>][+<TRIES>]<suffix>`.
    package static func newest(among names: [String], baseName: String?, suffix: String) -> String? {
        var best: (name: String, version: String)?
        for name in names {
            guard let version = version(of: name, baseName: baseName, suffix: suffix) else { continue }
            if let current = best, VersionComparison.compare(version, current.version) <= 0 { continue }
            best = (name, version)
        }
        return best?.name
    }

    /// The version part of a matching entry name, or nil if it does not match or is unusable.
    static func version(of name: String, baseName: String?, suffix: String) -> String? {
        guard name.hasSuffix(suffix), !name.hasPrefix(".") else { return nil }
        var stem = String(name.dropLast(suffix.count))
        if let plus = stem.lastIndex(of: "+") {
            let tries = stem[stem.index(after: plus)...]
            let left = tries.split(separator: "-", omittingEmptySubsequences: false).first ?? ""
            guard !left.isEmpty, left.allSatisfy(\.isNumber) else { return nil }
            if left.allSatisfy({ $0 == "0" }) { return nil }
            stem = String(stem[..<plus])
        }
        let prefix: String
        if let baseName {
            prefix = baseName + "_"
            guard stem.hasPrefix(prefix) else { return nil }
        } else {
            guard let underscore = stem.firstIndex(of: "_") else { return nil }
            prefix = String(stem[...underscore])
        }
        var version = String(stem.dropFirst(prefix.count))
        if let underscore = version.lastIndex(of: "_") {
            let architectureName = String(version[version.index(after: underscore)...])
            if let architecture = Architecture(rawValue: architectureName) {
                guard Architecture.compatibleWithNative.contains(architecture) else { return nil }
                version = String(version[..<underscore])
            }
        }
        guard !version.isEmpty else { return nil }
        return version
    }
}
