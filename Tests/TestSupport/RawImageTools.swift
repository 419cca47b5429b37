import Foundation
import Glibc

/// Runs the image tools the raw-image tests build their fixtures with (mksquashfs, mkfs.*, veritysetup,
/// cryptsetup, sfdisk) and owns a unique temporary directory per test.
package enum RawImageTools {
    package struct Failure: Error, CustomStringConvertible {
        package var command: String
        package var status: Int32
        package var output: String
        package var description: String { "\(command) exited with \(status): \(output)" }

        package init(command: String, status: Int32, output: String) {
            self.command = command
            self.status = status
            self.output = output
        }
    }

    /// Runs `tool` (looked up in /usr/sbin, /usr/bin, /sbin, /bin) with `arguments`, feeding `input`
    /// to stdin. Returns stdout; throws with stderr on a non-zero exit.
    @discardableResult
    package static func run(_ tool: String, _ arguments: [String], input: [UInt8]? = nil) throws -> String {
        guard let executable = locate(tool) else {
            throw Failure(command: tool, status: 127, output: "not installed")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let stdout = Pipe()
        let stderr = Pipe()
        let stdin = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input)) }
        try stdin.fileHandleForWriting.close()
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        let err = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(
                command: ([tool] + arguments).joined(separator: " "),
                status: process.terminationStatus,
                output: String(decoding: err, as: UTF8.self)
            )
        }
        return String(decoding: out, as: UTF8.self)
    }

    package static func locate(_ tool: String) -> String? {
        for directory in ["/usr/sbin", "/usr/bin", "/sbin", "/bin"] {
            let path = directory + "/" + tool
            if access(path, X_OK) == 0 { return path }
        }
        return nil
    }

    package static func isInstalled(_ tool: String) -> Bool { locate(tool) != nil }

    /// Whether loop devices and detached mounts can be used here (root with /dev/loop-control).
    package static var canUseLoopDevices: Bool {
        getuid() == 0 && access("/dev/loop-control", R_OK | W_OK) == 0
    }

    /// A fresh directory under /tmp, unique per call.
    package static func makeTemporaryDirectory(prefix: String = "berth-raw") throws -> String {
        var template = Array("/tmp/\(prefix)-XXXXXX".utf8CString)
        let created = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard created != nil else { throw Failure(command: "mkdtemp", status: errno, output: "") }
        return String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    package static func removeTree(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// A small OS tree with os-release and a unit file, for building images from.
    package static func makeTree(at root: String, id: String = "debian", marker: String = "hello") throws {
        let fm = FileManager.default
        for directory in ["usr/lib", "usr/lib/systemd/system", "etc"] {
            try fm.createDirectory(atPath: root + "/" + directory, withIntermediateDirectories: true)
        }
        try "ID=\(id)\nVERSION_ID=1\nPORTABLE_PREFIXES=demo\n".write(
            toFile: root + "/usr/lib/os-release",
            atomically: false,
            encoding: .utf8
        )
        try "[Service]\nExecStart=/bin/true\n".write(
            toFile: root + "/usr/lib/systemd/system/demo.service",
            atomically: false,
            encoding: .utf8
        )
        try marker.write(toFile: root + "/etc/marker", atomically: false, encoding: .utf8)
    }

    /// Loop devices whose backing file lies under `directory` (`/sys/block/loop*/loop/backing_file`).
    package static func loopDevices(backedUnder directory: String) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/sys/block") else { return [] }
        return names.filter { $0.hasPrefix("loop") }.compactMap { name in
            guard
                let backing = try? String(contentsOfFile: "/sys/block/\(name)/loop/backing_file", encoding: .utf8)
            else { return nil }
            return backing.hasPrefix(directory + "/") ? name : nil
        }.sorted()
    }

    /// Waits (bounded) until no loop device is backed by a file under `directory`; returns the leftovers.
    /// Autoclear runs when the last reference drops, which the kernel may finish just after `close()`.
    package static func waitForNoLoopDevices(backedUnder directory: String) -> [String] {
        var remaining = loopDevices(backedUnder: directory)
        var attempts = 0
        while !remaining.isEmpty, attempts < 200 {
            usleep(10_000)
            remaining = loopDevices(backedUnder: directory)
            attempts += 1
        }
        return remaining
    }

    /// Mounts visible in this namespace whose source or target mentions `directory`.
    package static func mounts(mentioning directory: String) -> [String] {
        guard let table = try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8) else { return [] }
        return table.split(separator: "\n").map(String.init).filter { $0.contains(directory) }
    }
}
