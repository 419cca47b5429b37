/// Version and project URL, as `GetInfo` and `--version` report them.
package enum BerthVersion {
    package static let current = "0.1.0"
    package static let url = "https://github.com/berth-project/berth"
}
