import ArgumentParser

/// Options about the service manager and the attachment's life time.
package struct ServiceManagerOptions: ParsableArguments {
    @Flag(name: .long, help: "Attach until the next reboot only (/run instead of /etc).")
    package var runtime = false

    @Flag(name: .long, help: "Enable (disable) the units right after attach (before detach).")
    package var enable = false

    @Flag(name: .long, help: "Start (stop) the units right after attach (before detach).")
    package var now = false

    @Flag(name: .customLong("no-block"), help: "Do not wait for the start jobs of --now to finish.")
    package var noBlock = false

    @Flag(name: .customLong("no-reload"), help: "Do not reload the service manager.")
    package var noReload = false

    package init() {}

    package var flags: ServiceManagerFlags {
        var flags = ServiceManagerFlags()
        flags.runtime = runtime
        flags.enable = enable
        flags.now = now
        flags.noBlock = noBlock
        flags.noReload = noReload
        return flags
    }
}
