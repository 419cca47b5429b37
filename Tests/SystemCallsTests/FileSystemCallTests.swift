import Foundation
import SystemCalls
import TestSupport
import Testing

@Suite("File system calls")
struct FileSystemCallTests {
    private func makeTree() -> (TempDirectory, ImageTreeBuilder) {
        let temp = TempDirectory(prefix: "berth-fs")
        let tree = ImageTreeBuilder(root: temp.join("root"))
        tree.file("etc/real", "inside\n")
        tree.symlink("abs", to: "/etc/real")
        tree.symlink("up", to: "../../../../etc/real")
        _ = FileManager.default.createFile(atPath: temp.join("outside"), contents: Data("outside\n".utf8))
        tree.symlink("escape", to: temp.join("outside"))
        tree.symlink("proc", to: "/proc/self/root/etc/passwd")
        return (temp, tree)
    }

    @Test("openat2 RESOLVE_IN_ROOT keeps absolute and .. symlinks inside the root")
    func resolveInRoot() throws {
        let (temp, tree) = makeTree()
        _ = temp
        let root = try FileDescriptor.currentWorkingDirectory.openat(tree.root, flags: [.directory, .path])
        defer { root.close() }
        for path in ["abs", "up", "/etc/real", "../../etc/real"] {
            let fd = try root.openat2(path, flags: [.readOnly], resolve: .confinedToRoot)
            defer { fd.close() }
            #expect(try fd.readAll(limit: 100) == Array("inside\n".utf8), "\(path)")
        }
        #expect {
            _ = try root.openat2("escape", flags: [.readOnly], resolve: .confinedToRoot)
        } throws: { ($0 as? SystemCallError)?.errno == ENOENT }
        #expect(throws: SystemCallError.self) {
            _ = try root.openat2("proc", flags: [.readOnly], resolve: .confinedToRoot)
        }
        #expect {
            _ = try root.openat2("abs", flags: [.readOnly, .noFollow], resolve: .confinedToRoot)
        } throws: { ($0 as? SystemCallError)?.errno == ELOOP }
    }

    @Test("readAll enforces its limit; status reports kinds and sizes")
    func readLimitsAndStatus() throws {
        let temp = TempDirectory(prefix: "berth-fs")
        let tree = ImageTreeBuilder(root: temp.path)
        tree.bytes("big", Array(repeating: 65, count: 10_000))
        tree.fifo("pipe")
        let directory = try FileDescriptor.currentWorkingDirectory.openat(temp.path, flags: [.directory])
        defer { directory.close() }
        let big = try directory.openat("big", flags: [.readOnly])
        defer { big.close() }
        #expect {
            _ = try big.readAll(limit: 9_999)
        } throws: { ($0 as? SystemCallError)?.errno == EFBIG }
        #expect(try directory.status(of: "big").size == 10_000)
        #expect(try directory.status(of: "pipe").kind == .fifo)
        let names = try directory.directoryEntries().map(\.name).sorted()
        #expect(names == ["big", "pipe"])
    }

    @Test("directory entries name the same kinds that status does (d_type mapped through the mode bits)")
    func directoryEntryKinds() throws {
        let temp = TempDirectory(prefix: "berth-fs")
        let tree = ImageTreeBuilder(root: temp.path)
        tree.file("file", "x\n")
        tree.directory("sub")
        tree.symlink("link", to: "file")
        tree.fifo("pipe")
        let directory = try FileDescriptor.currentWorkingDirectory.openat(temp.path, flags: [.directory])
        defer { directory.close() }
        let kinds = Dictionary(uniqueKeysWithValues: try directory.directoryEntries().map { ($0.name, $0.kind) })
        #expect(kinds == ["file": .regular, "sub": .directory, "link": .symbolicLink, "pipe": .fifo])
        #expect(kinds["link"] == (try directory.extendedStatus(of: "link").status.kind))
    }

    @Test("reopenForReading reads an O_PATH descriptor's file, and refuses when the inode is not the one expected")
    func reopenForReading() throws {
        let temp = TempDirectory(prefix: "berth-fs")
        let tree = ImageTreeBuilder(root: temp.path)
        tree.file("first", "first\n")
        tree.file("second", "second\n")
        let directory = try FileDescriptor.currentWorkingDirectory.openat(temp.path, flags: [.directory])
        defer { directory.close() }
        let handle = try directory.openat("first", flags: [.path])
        defer { handle.close() }
        let (reader, status) = try handle.reopenForReading(expecting: try handle.status())
        defer { reader.close() }
        #expect(status.inode == (try directory.status(of: "first").inode))
        #expect(try reader.readAll(limit: 100) == Array("first\n".utf8))
        // As if "first" had been swapped for "second" between the check and the open.
        #expect {
            _ = try handle.reopenForReading(expecting: try directory.status(of: "second"))
        } throws: { ($0 as? SystemCallError)?.errno == ESTALE }
    }

    @Test("copyAll copies a file larger than its buffer; writeAll takes any byte collection")
    func copyAndWrite() throws {
        let temp = TempDirectory(prefix: "berth-fs")
        let directory = try FileDescriptor.currentWorkingDirectory.openat(temp.path, flags: [.directory])
        defer { directory.close() }
        let contents = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let source = try directory.openat("source", flags: [.writeOnly, .create, .exclusive], mode: 0o600)
        try source.writeAll(contents[...])  // an ArraySlice: contiguous, written in place
        try source.writeAll("tail".utf8)
        source.close()
        let input = try directory.openat("source", flags: [.readOnly])
        defer { input.close() }
        let output = try directory.openat("copy", flags: [.writeOnly, .create, .exclusive], mode: 0o600)
        try input.copyAll(to: output)
        output.close()
        let copy = try directory.openat("copy", flags: [.readOnly])
        defer { copy.close() }
        #expect(try copy.readAll(limit: 1 << 20) == contents + Array("tail".utf8))
    }

    @Test("statx: the same fields as fstatat, the mount ID, and the immutable attribute where reported")
    func extendedStatus() throws {
        let temp = TempDirectory(prefix: "berth-fs")
        let tree = ImageTreeBuilder(root: temp.path)
        tree.file("image/etc/os-release", "ID=x\n")
        tree.symlink("link", to: "image")
        let directory = try FileDescriptor.currentWorkingDirectory.openat(temp.path, flags: [.directory])
        defer { directory.close() }
        let extended = try directory.extendedStatus(of: "image")
        #expect(try extended.status == directory.status(of: "image"))
        #expect(try directory.extendedStatus(of: "link").status.kind == .symbolicLink)
        #expect(try directory.extendedStatus(of: "").status == directory.status())
        let ownMount = try directory.extendedStatus(of: "").mountID
        #expect(extended.mountID != nil && extended.mountID == ownMount)
        #expect(throws: SystemCallError.self) { try directory.extendedStatus(of: "missing") }
        // ext4, xfs and btrfs report the attribute; then it must agree with FS_IOC_GETFLAGS.
        let image = try directory.openat("image", flags: [.directory])
        defer { image.close() }
        guard extended.isImmutable != nil, (try? image.inodeFlags()) != nil else { return }
        #expect(extended.isImmutable == false)
        try image.setInodeFlags(try image.inodeFlags() | FileDescriptor.immutableInodeFlag)
        defer { try? image.setInodeFlags(try image.inodeFlags() & ~FileDescriptor.immutableInodeFlag) }
        #expect(try directory.extendedStatus(of: "image").isImmutable == true)
    }

    @Test("renameat2 exchange and no-replace; symlink, readlink, unlink, rmdir")
    func renameModes() throws {
        let temp = TempDirectory(prefix: "berth-fs")
        let tree = ImageTreeBuilder(root: temp.path)
        tree.file("a", "A")
        tree.file("b", "B")
        let directory = try FileDescriptor.currentWorkingDirectory.openat(temp.path, flags: [.directory])
        defer { directory.close() }
        try directory.rename("a", to: "b", mode: .exchange)
        #expect(try String(contentsOfFile: temp.join("a"), encoding: .utf8) == "B")
        #expect {
            try directory.rename("a", to: "b", mode: .noReplace)
        } throws: { ($0 as? SystemCallError)?.errno == EEXIST }
        try directory.makeSymbolicLink("link", to: "/some/where")
        #expect(try directory.readLink("link") == "/some/where")
        try directory.unlink("link")
        try directory.makeDirectory("d")
        try directory.removeDirectory("d")
        #expect((try? directory.status(of: "d")) == nil)
    }

    @Test("flock excludes a second open file description until released")
    func flockExclusion() throws {
        let temp = TempDirectory(prefix: "berth-fs")
        let directory = try FileDescriptor.currentWorkingDirectory.openat(temp.path, flags: [.directory])
        defer { directory.close() }
        let first = try directory.openat("lock", flags: [.readWrite, .create], mode: 0o600)
        let second = try directory.openat("lock", flags: [.readWrite])
        defer { second.close() }
        #expect(try first.lock(.exclusive, wait: false))
        #expect(try second.lock(.exclusive, wait: false) == false)
        first.close()
        #expect(try second.lock(.exclusive, wait: false))
    }
}
