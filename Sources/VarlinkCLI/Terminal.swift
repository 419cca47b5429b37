import SystemCalls

/// Where output goes and how it looks: colour and paging only when standard output is a terminal.
///
/// Colour is off when `NO_COLOR` is set (any value, per no-color.org) or `TERM=dumb`. The pager is
/// `SYSTEMD_PAGER`, else `PAGER`, else `less`; an empty value or `cat` disables it, as does
/// `--no-pager` or `SYSTEMD_PAGER`/`PAGER` pointing nowhere runnable (then output is written directly).
struct Terminal: Sendable {
    /// Whether standard output is a terminal.
    let isInteractive: Bool
    /// Whether ANSI colour sequences may be written to standard output.
    let usesColor: Bool
    /// Whether long outputs may go through a pager.
    let usesPager: Bool

    init(noPager: Bool) {
        let interactive = FileDescriptor.standardOutput.isTerminal
        isInteractive = interactive
        usesColor =
            interactive && Posix.environmentValue("NO_COLOR") == nil && Posix.environmentValue("TERM") != "dumb"
        usesPager = interactive && !noPager
    }

    /// Writes `text` to standard output, through the pager when allowed and `paged` is set.
    func emit(_ text: String, paged: Bool = false) {
        if paged && usesPager, let pager = Self.pagerCommand(), Self.run(pager: pager, text: text) { return }
        Self.writeStandardOutput(text)
    }

    /// Writes one already-terminated chunk to standard output immediately (streaming replies).
    static func writeStandardOutput(_ text: String) {
        try? FileDescriptor.standardOutput.writeAll(text.utf8)
    }

    /// Writes `varlink: MESSAGE` to standard error.
    static func reportError(_ message: String) {
        try? FileDescriptor.standardError.writeAll("varlink: \(message)\n".utf8)
    }

    /// Writes an already-terminated line to standard error as it is.
    static func writeStandardError(_ text: String) {
        try? FileDescriptor.standardError.writeAll(text.utf8)
    }

    /// Standard input as text, up to the largest message a service accepts; nil if it is not UTF-8
    /// or cannot be read.
    static func readStandardInput() -> String? {
        guard let bytes = try? FileDescriptor.standardInput.readAll(limit: 16 << 20) else { return nil }
        return String(validating: bytes, as: UTF8.self)
    }

    /// Writes a warning line to standard error.
    static func warn(_ message: String) {
        try? FileDescriptor.standardError.writeAll("varlink: warning: \(message)\n".utf8)
    }

    // MARK: - Colour

    /// The ANSI styles the CLI uses.
    enum Style: String {
        case bold = "1"
        case keyword = "1;32"
        case name = "1;34"
        case type = "36"
        case comment = "2"
        case error = "1;31"
    }

    /// `text` wrapped in the style when colour is on.
    func styled(_ text: String, _ style: Style) -> String {
        usesColor && !text.isEmpty ? "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m" : text
    }

    // MARK: - Paging

    static func pagerCommand() -> String? {
        let configured =
            Posix.environmentValue("SYSTEMD_PAGER") ?? Posix.environmentValue("PAGER") ?? "less"
        let trimmed = configured.trimmingSpacesAndTabs()
        if trimmed.isEmpty || trimmed == "cat" { return nil }
        return trimmed
    }

    /// Pipes `text` into the pager; `false` when it could not be started (the caller prints directly).
    private static func run(pager: String, text: String) -> Bool {
        var environment = Posix.environmentDictionary()
        // Quit when the text fits on one screen, keep colours, no screen clearing: less as systemd runs it.
        if environment["LESS"] == nil { environment["LESS"] = "FRXMK" }
        if environment["LESSCHARSET"] == nil { environment["LESSCHARSET"] = "utf-8" }
        guard let pipe = try? Posix.makePipe() else { return false }
        let spawned = try? Posix.spawn(
            path: "/bin/sh",
            arguments: ["-c", "exec \(pager)"],
            environment: environment.map { "\($0.key)=\($0.value)" },
            standardInput: pipe.read
        )
        pipe.read.close()
        guard let pid = spawned else {
            pipe.write.close()
            return false
        }
        // A pager that quits early must not kill us with SIGPIPE; the write error is ignored instead.
        Posix.ignoreBrokenPipeSignal()
        try? pipe.write.writeAll(text.utf8)
        pipe.write.close()
        // 127: the shell could not find the pager; fall back to printing.
        return (try? Posix.wait(for: pid)) != .exited(127)
    }
}

extension String {
    /// The text without leading and trailing spaces and tabs.
    fileprivate func trimmingSpacesAndTabs() -> String {
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        return String(drop(while: blank).reversed().drop(while: blank).reversed())
    }
}
