import Foundation
import Glibc

/// A unique temporary directory, removed (recursively, immutable flags cleared) when released.
/// Safe for parallel suites: every instance gets its own `mkdtemp` name.
package final class TempDirectory: @unchecked Sendable {
    package let path: String

    /// `base` defaults to /tmp; suites that fsync a lot may pass "/dev/shm" (tmpfs: fsync is free there).
    package init(prefix: String = "berth-test", base: String = "/tmp") {
        var template = Array("\(base)/\(prefix)-XXXXXX".utf8CString)
        let result = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(result != nil, "mkdtemp failed: \(errno)")
        path = String(cString: result!)
    }

    deinit {
        if (try? FileManager.default.removeItem(atPath: path)) != nil { return }
        // chattr -i and retry: tests of read-only marking may leave immutable directories behind.
        let clear = Process()
        clear.executableURL = URL(fileURLWithPath: "/usr/bin/chattr")
        clear.arguments = ["-R", "-f", "-i", path]
        clear.standardError = FileHandle.nullDevice
        clear.standardOutput = FileHandle.nullDevice
        try? clear.run()
        clear.waitUntilExit()
        try? FileManager.default.removeItem(atPath: path)
    }

    /// `path` + "/" + a relative path.
    package func join(_ relative: String) -> String {
        relative.isEmpty ? path : path + "/" + relative
    }
}
