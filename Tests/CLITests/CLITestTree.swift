import Foundation

/// A temporary offline tree for `berthctl --root`, with portable images built in it.
final class CLITestTree {
    let root: String

    init() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("berthctl-tests")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        root = base.appendingPathComponent(UUID().uuidString).path
        for directory in ["var/lib/portables", "etc/systemd/system", "run/systemd/system"] {
            try FileManager.default.createDirectory(
                atPath: "\(root)/\(directory)",
                withIntermediateDirectories: true
            )
        }
    }

    deinit {
        try? FileManager.default.removeItem(atPath: root)
    }

    /// A directory image `name` in the pool with os-release and the given unit files.
    @discardableResult
    func makeImage(
        _ name: String,
        in directory: String = "/var/lib/portables",
        osRelease: String = "ID=demo\nVERSION_ID=1\nPRETTY_NAME=\"Demo OS 1\"\nPORTABLE_PRETTY_NAME=\"Demo service\"\n",
        units: [String: String]
    ) throws -> String {
        let image = "\(directory)/\(name)"
        try write(osRelease, to: "\(image)/usr/lib/os-release")
        for (unit, contents) in units {
            try write(contents, to: "\(image)/usr/lib/systemd/system/\(unit)")
        }
        return image
    }

    /// Writes `contents` at the tree path `path`, creating parents.
    func write(_ contents: String, to path: String) throws {
        let url = URL(fileURLWithPath: root + path)
        try FileManager.default.createDirectory(
            at: url.deletingLastPathComponent(),
            withIntermediateDirectories: true
        )
        try Data(contents.utf8).write(to: url)
    }

    func exists(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: root + path, isDirectory: &isDirectory)
            || (try? FileManager.default.destinationOfSymbolicLink(atPath: root + path)) != nil
    }

    func read(_ path: String) throws -> String {
        String(decoding: try Data(contentsOf: URL(fileURLWithPath: root + path)), as: UTF8.self)
    }

    /// Every path below the tree (relative, sorted), to compare before and after an operation.
    func snapshot() -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return [] }
        return (enumerator.allObjects as? [String] ?? []).sorted()
    }
}

enum DemoUnits {
    static let service = "[Unit]\nDescription=Demo\n\n[Service]\nExecStart=/usr/bin/demo\n"
    static let socket = "[Socket]\nListenStream=/run/demo.sock\n"
    static let standard = ["demo.service": service, "demo.socket": socket]
}
