package import ArgumentParser
import PortableEngine

/// Options every verb accepts (also before the verb: `berthctl --root=DIR list`).
package struct GlobalOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Operate on the offline tree DIR in process, without berthd (like systemctl --root).",
            valueName: "DIR"
        )
    )
    package var root: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Talk to berthd on another socket (default: \(Berthctl.defaultAddress), with --user "
                + "$XDG_RUNTIME_DIR/berth/io.berth.Portable).",
            valueName: "ADDRESS"
        )
    )
    package var address: String?

    @Option(
        name: [.customShort("H"), .long],
        help: ArgumentHelp("Talk to berthd on a remote host over ssh.", valueName: "[USER@]HOST")
    )
    package var host: String?

    @Option(
        name: [.customShort("M"), .long],
        help: ArgumentHelp("Talk to berthd in a local container (systemd-machined).", valueName: "CONTAINER")
    )
    package var machine: String?

    @Flag(name: [.short, .long], help: "Suppress informational messages.")
    package var quiet = false

    @Flag(name: .customLong("no-pager"), help: "Do not pipe output into a pager (berthctl never pages).")
    package var noPager = false

    @Flag(name: .customLong("no-legend"), help: "Do not show the headers and footers.")
    package var noLegend = false

    @Flag(name: .customLong("no-ask-password"), help: "Do not ask for passwords (berthctl never asks).")
    package var noAskPassword = false

    @Option(
        name: .long,
        help: ArgumentHelp("Print JSON instead of text: short, pretty or off.", valueName: "MODE")
    )
    package var json: JSONMode = .off

    @Flag(
        exclusivity: .chooseLast,
        help: ArgumentHelp("The system's berthd and units (--system, the default) or the calling user's (--user).")
    )
    package var scope: ScopeOption = .system

    package init() {}

    /// The values as the verbs use them.
    package var settings: GlobalSettings {
        var settings = GlobalSettings()
        settings.root = root
        settings.address = address
        // ArgumentParser keeps one value per option, so "-H a -M b" picks -M here; CommandLineParser,
        // which runs the verbs, takes the last one given, as portablectl does.
        if let host { settings.remote = .host(host) }
        if let machine { settings.remote = RemoteTarget.machine(named: machine) }
        settings.quiet = quiet
        settings.noLegend = noLegend
        settings.json = json
        settings.scope = scope == .user ? .user : .system
        return settings
    }
}

/// `--user`, `--system`.
package enum ScopeOption: String, EnumerableFlag, Sendable {
    case system
    case user
}

/// `--json=` values.
package enum JSONMode: String, ExpressibleByArgument, CaseIterable, Sendable {
    case short
    case pretty
    case off
}
