/// Berth's version and project URL, as `GetInfo` and every executable's `--version` report them.
///
/// Here because every executable already depends on this module (SystemCalls wraps syscalls and nothing
/// else); one constant, so a release bumps one line.
package enum BerthVersion {
    package static let current = "0.1.0"
    package static let url = "https://github.com/berth-project/berth"
}
