import BerthCLI
import Foundation
import TestSupport
import Testing

/// berthctl refuses bad command lines in portablectl's words: the first line of stderr and the exit
/// status equal what systemd 257's portablectl printed for the same line (recorded by
/// `scripts/capture-portablectl-usage.sh`, with the program name swapped). Berth's hint may follow.
/// Where 262 words it differently, Berth follows 262 and the row holds 262's line (the invalid profile name).
@Suite("berthctl usage errors as portablectl words them")
struct PortablectlUsageTests {
    struct Recorded: Sendable, CustomStringConvertible {
        var arguments: [String]
        var status: Int32
        var firstLine: String
        var description: String { arguments.joined(separator: " ") }
    }

    static let recorded: [Recorded] = {
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/portablectl-257-usage.tsv")
        let text = (try? String(contentsOf: fixture, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            return Recorded(
                arguments: fields[0].split(separator: " ").map(String.init),
                status: Int32(fields[1]) ?? -1,
                firstLine: fields[2].replacingOccurrences(of: "portablectl", with: "berthctl")
            )
        }
    }()

    @Test func theRecordingIsThere() {
        #expect(Self.recorded.count >= 25)
    }

    @Test(arguments: recorded)
    func sameFirstLineAndStatus(_ line: Recorded) throws {
        let result = try CLIRunner.run(try CLIRunner.executable("berthctl"), ["--root=/nonexistent"] + line.arguments)
        #expect(result.status == line.status, "\(line): \(result)")
        #expect(result.stderr.split(separator: "\n").first.map(String.init) == line.firstLine, "\(line): \(result)")
    }
}
