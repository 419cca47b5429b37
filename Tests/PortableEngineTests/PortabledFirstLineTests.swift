import DiskImage
import Foundation
import SystemCalls
import Testing

@testable import PortableEngine

#if canImport(Glibc)
import Glibc
#endif

/// The failures portabled reports only as an errno or a generic sentence: the reason's first line is
/// that text (what portablectl prints, lab 262), Berth's explanation the second.
@Suite("bad images carry portabled's line first")
struct PortabledFirstLineTests {
    /// The two lines of a `.badImage` reason, or nil for another error or a one-line reason.
    private static func lines(_ error: PortableError) -> (String, String)? {
        guard case .badImage(_, let reason, _) = error else { return nil }
        let parts = reason.split(separator: "\n", maxSplits: 1).map(String.init)
        return parts.count == 2 ? (parts[0], parts[1]) : nil
    }

    @Test("undissectable raw images: portabled's \"Couldn't identify …\", DiskImage's finding after it")
    func undissectable() throws {
        let path = "/srv/x.raw"
        let reasons: [DiskImageError.Reason] = [
            .truncated("1 bytes is too small for any image"), .corruptPartitionTable("header CRC mismatch"),
            .invalidPartition("overlapping partitions"),
        ]
        for reason in reasons {
            let error = DiskImageOpener.engineError(DiskImageError(path: path, reason: reason), image: path)
            let (first, detail) = try #require(Self.lines(error), "\(error)")
            #expect(first == "Couldn't identify a suitable partition table or file system in '/srv/x.raw'.")
            #expect(detail == DiskImageError(path: path, reason: reason).description)
            // The image's path once, not repeated by the reason.
            #expect(detail.components(separatedBy: path).count == 2, "\(detail)")
        }
        let noFileSystem = DiskImageOpener.engineError(
            DiskImageError(path: path, reason: .unsupportedFileSystem("partition 1 holds no recognised file system")),
            image: path
        )
        #expect(Self.lines(noFileSystem)?.0 == "Address family not supported by protocol")
    }

    @Test("no os-release: a raw image's is ENOMEDIUM, a directory's portabled's sentence; garbage is EBADMSG")
    func releaseFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("firstline-\(getpid())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        func root(_ kind: ImageKind) -> ImageRoot {
            let path = kind == .raw ? "/srv/x.raw" : "/srv/x"
            return ImageRoot(
                path: path,
                kind: kind,
                descriptor: FileDescriptor(rawValue: open(directory, O_RDONLY | O_DIRECTORY))
            )
        }
        #expect {
            _ = try root(.raw).osRelease()
        } throws: { error in
            Self.lines(error as! PortableError).map {
                $0 == ("No medium found", "Image '/srv/x.raw' lacks os-release data, refusing.")
            } ?? false
        }
        #expect(
            throws: PortableError.badImage(
                image: "/srv/x",
                reason: "Image lacks os-release data, refusing.",
                file: "/usr/lib/os-release"
            )
        ) {
            _ = try root(.directory).osRelease()
        }
        #expect {
            _ = try root(.directory).extensionRelease(relaxed: false)
        } throws: { error in
            Self.lines(error as! PortableError)?.0 == "No such file or directory"
        }
        try FileManager.default.createDirectory(atPath: directory + "/etc", withIntermediateDirectories: true)
        try Data("ID=x\nNAME=\u{0}\n".utf8).write(to: URL(fileURLWithPath: directory + "/etc/os-release"))
        #expect {
            _ = try root(.directory).osRelease()
        } throws: { error in
            guard let (first, detail) = Self.lines(error as! PortableError) else { return false }
            return first == "Bad message" && detail.hasPrefix("/etc/os-release is not a valid release file: ")
        }
    }
}
