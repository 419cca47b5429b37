import Foundation
import Glibc

/// A unique temporary directory for one suite instance, removed on release.
final class InteropScratch: @unchecked Sendable {
    let path: String

    init(prefix: String) {
        var template = Array("/tmp/\(prefix)-XXXXXX".utf8CString)
        let result = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(result != nil, "mkdtemp failed: \(errno)")
        path = String(cString: result!)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func join(_ name: String) -> String { path + "/" + name }

    /// Where SwiftPM put the package's executables: the directory of the running test bundle.
    static var buildDirectory: String {
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var isDirectory: ObjCBool = false
        while url.pathComponents.count > 1,
            url.pathExtension == "xctest"
                || !(FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory)
                    && isDirectory.boolValue)
        {
            url.deleteLastPathComponent()
        }
        return url.path
    }

    struct MissingExecutable: Error, CustomStringConvertible {
        var description: String
    }

    static func executable(_ name: String) throws -> String {
        let path = buildDirectory + "/" + name
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw MissingExecutable(
                description: "\(name) is not built in \(buildDirectory): run `swift build --build-tests`"
            )
        }
        return path
    }
}
