import BerthCLI
import BerthClient
import Testing

/// The change lines, checked against what portablectl 257 and 262 print (lab, recorded).
@Suite("Change lines as portablectl prints them")
struct ChangePrinterTests {
    static let attached = "/etc/systemd/system.attached"

    @Test("--enable's links are quoted, unlike the attach changes; disable's removals too")
    func installLines() {
        let wants = Self.attached + "/multi-user.target.wants/dimg.service"
        let unitFile = Self.attached + "/dimg.service"
        // portablectl attach --enable /srv/images/dimg, last line.
        #expect(
            ChangePrinter.installLines(for: [Portable.Change(type: .symlink, path: wants, source: unitFile)])
                == "Created symlink '\(wants)' \u{2192} '\(unitFile)'.\n"
        )
        // portablectl detach --enable /srv/images/dimg, first line after the matching line.
        #expect(
            ChangePrinter.installLines(for: [Portable.Change(type: .unlink, path: wants, source: nil)])
                == "Removed '\(wants)'.\n"
        )
        // portablectl attach --now /srv/images/run, last line.
        #expect(
            ChangePrinter.jobLines(
                for: [Portable.Job(unit: "run.service", path: "/org/freedesktop/systemd1/job/634", method: "StartUnit")]
            ) == "Queued /org/freedesktop/systemd1/job/634 to call StartUnit on portable service run.service.\n"
        )
        // portablectl attach /srv/images/dimg, the image link: not quoted.
        #expect(
            ChangePrinter.lines(
                for: [Portable.Change(type: .symlink, path: "/etc/portables/dimg", source: "/srv/images/dimg")]
            ) == "Created symlink /etc/portables/dimg \u{2192} /srv/images/dimg.\n"
        )
    }
}
