package import CommandLineTool

/// berthctl's command line as one table: the options (`CommandLineParser.Option`) and the verbs with
/// their texts. `CommandLineParser` parses with it; help, the completion scripts and the man page are
/// printed from it.
package enum BerthctlCommandLine {
    package static let tool = ToolDescription(
        program: "berthctl",
        abstract: "Attach or detach portable services from the local system.",
        discussion: """
            A portablectl-compatible client of berthd (io.berth.Portable over Varlink). With --root=DIR \
            everything happens in process on the offline tree DIR, without berthd or systemd.

            Examples:
              berthctl list
              berthctl attach --now /var/lib/portables/foo_1.raw
              berthctl --root=/srv/tree attach foo
              berthctl is-attached -q foo && echo attached
            """,
        options: CommandLineParser.Option.allCases.map(\.spec),
        globalOptions: [
            "root", "address", "host", "machine", "quiet", "no-pager", "no-legend", "no-ask-password", "json",
            "user", "system",
        ],
        trailingOptions: ["version", "help"],
        verbs: verbs,
        defaultVerb: "list",
        manualSource: "Berth"
    )

    static let image = CommandLineVerb.Argument(
        "image",
        help: "Image name or path.",
        completion: CommandLineParser.Option.imageNames
    )
    static let selection = ["extension", "force"]
    static let manager = ["runtime", "enable", "now", "no-block", "no-reload"]
    static let attach = selection + manager + ["profile", "copy", "key-file"]

    static let verbs: [CommandLineVerb] = [
        CommandLineVerb(
            "list",
            abstract: "List available portable service images.",
            discussion: """
                Columns: NAME TYPE RO CRTIME MTIME USAGE STATE, sorted by name.

                Examples:
                  berthctl list
                  berthctl list --no-legend
                  berthctl --root=/srv/tree list --json=pretty
                """
        ),
        CommandLineVerb(
            "attach",
            abstract: "Attach the specified portable service image.",
            discussion: """
                Unit files whose names start with PREFIX (default: the image name up to the first '_') \
                are attached with the security profile's drop-in.

                Examples:
                  berthctl attach /var/lib/portables/foo_1.raw
                  berthctl attach --now --runtime foo foo-extra
                  berthctl attach --profile=trusted --copy=copy /srv/foo
                  berthctl attach --extension=/srv/ext1 /srv/base app
                  berthctl --root=/srv/tree attach foo
                """,
            arguments: [image, .init("prefix", help: "Unit name prefixes to attach.", optional: true, repeats: true)],
            options: attach
        ),
        CommandLineVerb(
            "detach",
            abstract: "Detach the specified portable service image.",
            discussion: """
                Only unit files whose drop-in marker names this image (and the same extensions) are removed. \
                PREFIX only selects the units --now/--enable stop and disable first.

                Examples:
                  berthctl detach foo
                  berthctl detach --now --enable --runtime /var/lib/portables/foo_1.raw
                """,
            arguments: [
                image, .init("prefix", help: "Unit name prefixes (for --now/--enable).", optional: true, repeats: true),
            ],
            options: selection + manager
        ),
        CommandLineVerb(
            "reattach",
            abstract: "Reattach the specified portable service image.",
            discussion: """
                Detaches the units of the attached image with the same base name (foo_1 for foo_2) and \
                attaches the new one in one step: afterwards either the old or the new version is attached.

                Examples:
                  berthctl reattach /var/lib/portables/foo_2.raw
                  berthctl reattach --now --enable foo_2
                """,
            arguments: [image, .init("prefix", help: "Unit name prefixes to attach.", optional: true, repeats: true)],
            options: attach
        ),
        CommandLineVerb(
            "inspect",
            abstract: "Show details of the specified portable service image.",
            discussion: """
                Examples:
                  berthctl inspect foo
                  berthctl inspect --cat /var/lib/portables/foo_1.raw foo.service
                  berthctl inspect --extension=/srv/ext1 /srv/base -
                """,
            arguments: [
                image, .init("prefix", help: "Unit name prefixes to show ('-' = all).", optional: true, repeats: true),
            ],
            options: selection + ["key-file", "cat"]
        ),
        CommandLineVerb(
            "is-attached",
            abstract: "Query if the portable service image is attached.",
            discussion: """
                Prints detached, attached, attached-runtime, enabled, enabled-runtime, running or \
                running-runtime and exits 0, as portablectl does. With -q nothing is printed and the exit \
                status says it: 0 attached in any form, 1 detached. An image that does not exist is an error.

                Examples:
                  berthctl is-attached foo
                  berthctl is-attached -q /var/lib/portables/foo_1.raw && echo attached
                """,
            arguments: [image],
            options: selection
        ),
        CommandLineVerb(
            "read-only",
            abstract: "Mark or unmark the portable service image read-only.",
            discussion: """
                Examples:
                  berthctl read-only foo
                  berthctl read-only foo no
                """,
            arguments: [
                image, .init("bool", help: "yes (default) or no.", optional: true, completion: .words(["yes", "no"])),
            ]
        ),
        CommandLineVerb(
            "remove",
            abstract: "Remove portable service images (only detached ones).",
            discussion: """
                Examples:
                  berthctl remove foo_1
                  berthctl remove ./old-image /var/lib/portables/bar.raw
                """,
            arguments: [.init("image", help: "Image names or paths.", repeats: true, completion: image.completion)]
        ),
        CommandLineVerb(
            "set-limit",
            abstract: "Set the image or pool size limit (disk quota).",
            discussion: """
                BYTES takes K, M, G, T suffixes (base 1024); '-', 'none' or 'infinity' removes the limit. \
                Quotas need the pool on btrfs; elsewhere this reports NotSupported.

                Examples:
                  berthctl set-limit 10G
                  berthctl set-limit foo 512M
                """,
            arguments: [.init("arguments", help: "[IMAGE] BYTES", repeats: true)]
        ),
        CommandLineVerb(
            "profiles",
            abstract: "List the available security profiles.",
            discussion: """
                Examples:
                  berthctl profiles
                  berthctl attach --profile=help foo
                """
        ),
        CommandLineVerb(
            "watch",
            abstract: "Watch portable service images for changes.",
            discussion: """
                Prints one line per image as it is now (event "snapshot"), then one line per change until \
                interrupted: added, attached, detached, reattached, removed, read-only, writable, enabled, \
                disabled, running, stopped. Columns: TIME IMAGE EVENT STATE UNITS. Changes made by berthctl, \
                portablectl, by hand in the attached directories, or by PID 1 (systemctl start) all count. \
                With --json=short one JSON object per line. Not a portablectl verb.

                Examples:
                  berthctl watch
                  berthctl watch foo bar --no-legend
                  berthctl watch --json=short | jq .event
                """,
            arguments: [
                .init(
                    "image",
                    help: "Only these image names (default: every image).",
                    optional: true,
                    repeats: true,
                    completion: image.completion
                )
            ]
        ),
    ]
}
