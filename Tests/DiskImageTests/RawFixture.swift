import DiskImage
import Foundation
import SystemCalls
import TestSupport
import Testing

/// Per-test scratch space: a unique temp dir, image builders, and the leak check every test ends with.
final class RawFixture {
    let directory: String

    init() throws {
        directory = try RawImageTools.makeTemporaryDirectory()
    }

    deinit { RawImageTools.removeTree(directory) }

    func path(_ name: String) -> String { directory + "/" + name }

    /// A tree with os-release, a unit and `/etc/marker` containing `marker`.
    func makeTree(_ name: String = "tree", marker: String = "hello") throws -> String {
        let root = path(name)
        try RawImageTools.makeTree(at: root, marker: marker)
        // Incompressible payload so images span many blocks (several verity hash blocks, real reads).
        var generator = SystemRandomNumberGenerator()
        let payload = (0..<(384 * 1024)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        try Data(payload).write(to: URL(fileURLWithPath: root + "/usr/lib/payload.bin"))
        return root
    }

    func squashfs(_ name: String = "image.raw", marker: String = "hello") throws -> String {
        let tree = try makeTree("tree-" + name, marker: marker)
        let image = path(name)
        try RawImageTools.run("mksquashfs", [tree, image, "-noappend", "-quiet", "-all-root"])
        return image
    }

    func erofs(_ name: String = "image.raw") throws -> String {
        let tree = try makeTree("tree-" + name)
        let image = path(name)
        try RawImageTools.run("mkfs.erofs", ["--quiet", image, tree])
        return image
    }

    func ext4(_ name: String = "image.raw") throws -> String {
        let tree = try makeTree("tree-" + name)
        let image = path(name)
        try RawImageTools.run("mkfs.ext4", ["-q", "-F", "-d", tree, image, "8M"])
        return image
    }

    func btrfs(_ name: String = "image.raw") throws -> String {
        let tree = try makeTree("tree-" + name)
        let image = path(name)
        _ = FileManager.default.createFile(atPath: image, contents: nil)
        try RawImageTools.run("truncate", ["-s", "120M", image])
        try RawImageTools.run("mkfs.btrfs", ["-q", "-f", "--rootdir", tree, image])
        return image
    }

    func write(_ bytes: [UInt8], to name: String) throws -> String {
        let file = path(name)
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        return file
    }

    func read(_ file: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: file)))
    }

    /// `veritysetup format DATA HASH`; returns the root hash (hex).
    func verityFormat(data: String, hash: String) throws -> String {
        let output = try RawImageTools.run("veritysetup", ["format", data, hash])
        guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix("Root hash:") }) else {
            throw RawImageTools.Failure(command: "veritysetup format", status: 0, output: output)
        }
        return line.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)
    }

    /// What this fixture's images left behind: loop devices backed by its files, mounts in the mount
    /// table, and detached mounts (descriptors of this process the mount table does not list). Waits
    /// for autoclear first, which the kernel may finish just after the last `close()`.
    func leftovers() -> [String] {
        _ = RawImageTools.waitForNoLoopDevices(backedUnder: directory)
        return LeakScanner.leftovers(under: directory)
    }

    /// Fails the test if anything from this fixture's images is still attached or mounted.
    func expectNothingLeftBehind(sourceLocation: SourceLocation = #_sourceLocation) {
        let leftovers = leftovers()
        #expect(leftovers.isEmpty, "left behind: \(leftovers)", sourceLocation: sourceLocation)
    }
}

/// Reads a file inside an opened image through its root fd, confined to the image.
func readInImage(_ image: OpenedImage, _ path: String) throws -> String {
    let root = try #require(image.rootDirectory)
    let file = try root.openat2(path, flags: [.readOnly], resolve: .confinedToRoot)
    defer { file.close() }
    return String(decoding: try file.readAll(limit: 1 << 20), as: UTF8.self)
}

/// Expects `body` to throw a `DiskImageError` with `identifier`; returns it for further checks.
@discardableResult
func expectImageError(
    _ identifier: String,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> Void
) -> DiskImageError? {
    do {
        try body()
        Issue.record("expected DiskImageError \(identifier), nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as DiskImageError {
        #expect(error.identifier == identifier, "\(error)", sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("expected DiskImageError \(identifier), got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

/// Loop devices and mounts need root and /dev/loop-control.
let loopDevicesAvailable = RawImageTools.canUseLoopDevices
