import CommandLineTool

extension CommandLineParser {
    /// The options in portablectl's order (getopt lists an ambiguous abbreviation's candidates in it),
    /// with what help, the completion scripts and the man page say about them.
    enum Option: Int, CaseIterable {
        case help, version, noPager, noLegend, noAskPassword, host, machine, quiet, profile, copy, runtime
        case noReload, cat, enable, now, noBlock, `extension`, force, clean, user, system
        case root, address, json, keyFile

        static let imageNames = ValueCompletion.toolOutput(["list", "--no-legend"])

        var spec: CommandLineOption {
            switch self {
            case .help: CommandLineOption("help", short: "h", help: "Show help information.")
            case .version: CommandLineOption("version", help: "Show the version.")
            case .noPager:
                CommandLineOption("no-pager", help: "Do not pipe output into a pager (berthctl never pages).")
            case .noLegend: CommandLineOption("no-legend", help: "Do not show the headers and footers.")
            case .noAskPassword:
                CommandLineOption("no-ask-password", help: "Do not ask for passwords (berthctl never asks).")
            case .host:
                CommandLineOption(
                    "host",
                    short: "H",
                    value: "[USER@]HOST",
                    help: "Talk to berthd on a remote host over ssh."
                )
            case .machine:
                CommandLineOption(
                    "machine",
                    short: "M",
                    value: "CONTAINER",
                    help: "Talk to berthd in a local container (systemd-machined)."
                )
            case .quiet: CommandLineOption("quiet", short: "q", help: "Suppress informational messages.")
            case .profile:
                CommandLineOption(
                    "profile",
                    short: "p",
                    value: "PROFILE",
                    help: "Security profile for the units ('help' lists them).",
                    default: "default",
                    completion: .words(["default", "nonetwork", "strict", "trusted"])
                )
            case .copy:
                CommandLineOption(
                    "copy",
                    value: "MODE",
                    help: "How to put files in place ('help' lists the modes).",
                    default: "auto",
                    completion: .words(AttachOptions.copyModes)
                )
            case .runtime:
                CommandLineOption("runtime", help: "Attach until the next reboot only (/run instead of /etc).")
            case .noReload: CommandLineOption("no-reload", help: "Do not reload the service manager.")
            case .cat: CommandLineOption("cat", help: "Include the contents of the os-release and unit files.")
            case .enable:
                CommandLineOption("enable", help: "Enable (disable) the units right after attach (before detach).")
            case .now: CommandLineOption("now", help: "Start (stop) the units right after attach (before detach).")
            case .noBlock: CommandLineOption("no-block", help: "Do not wait for the start jobs of --now to finish.")
            case .extension:
                CommandLineOption(
                    "extension",
                    value: "PATH",
                    help: "Extend the image with an extension image or directory (repeatable, order matters).",
                    completion: Self.imageNames
                )
            case .force:
                CommandLineOption(
                    "force",
                    help: "Skip the exists/active checks and relax the extension-release name check."
                )
            case .clean:
                CommandLineOption(
                    "clean",
                    help: "portablectl's removal of the units' state, cache and log directories on detach; "
                        + "not supported by berthctl yet."
                )
            case .user: CommandLineOption("user", help: "The calling user's berthd and units.")
            case .system: CommandLineOption("system", help: "The system's berthd and units (the default).")
            case .root:
                CommandLineOption(
                    "root",
                    value: "DIR",
                    help: "Operate on the offline tree DIR in process, without berthd (like systemctl --root).",
                    completion: .directories
                )
            case .address:
                CommandLineOption(
                    "address",
                    value: "ADDRESS",
                    help: "Talk to berthd on another socket (default: \(Berthctl.defaultAddress), with --user "
                        + "$XDG_RUNTIME_DIR/berth/io.berth.Portable).",
                    completion: .files
                )
            case .json:
                CommandLineOption(
                    "json",
                    value: "MODE",
                    help: "Print JSON instead of text: short, pretty or off.",
                    default: "off",
                    completion: .words(JSONMode.allCases.map(\.rawValue))
                )
            case .keyFile:
                CommandLineOption(
                    "key-file",
                    value: "PATH",
                    help: "Unlock an encrypted image with this key file's contents ('-' reads a passphrase line "
                        + "from stdin).",
                    completion: .files
                )
            }
        }
    }
}
