import Foundation
import TestSupport
import Testing

/// set-limit and the pool and image figures through berthd's D-Bus front door on a real btrfs, driven by
/// the host's portablectl and busctl, checked against `btrfs qgroup show`.
@Suite("D-Bus quota", .serialized)
struct QuotaBusTests {
    static let unavailable = BtrfsLoopFileSystem.unavailableReason
    static let manager = [
        "org.freedesktop.portable1", "/org/freedesktop/portable1", "org.freedesktop.portable1.Manager",
    ]
    static let image = [
        "org.freedesktop.portable1", "/org/freedesktop/portable1/image/sub", "org.freedesktop.portable1.Image",
    ]

    /// berthd itself with `--bus` on the harness' tree, once it answers on the bus.
    private static func startBerthd(_ harness: BusHarness) throws -> Process {
        let berthd = Process()
        berthd.executableURL = URL(fileURLWithPath: try CLIRunner.executable("berthd"))
        berthd.arguments = [
            "--root=\(harness.root)", "--listen=unix:\(harness.temp.join("io.berth.Portable"))", "--bus",
            "--log-target=console", "--profile-directory=\(RepositoryLayout.profilesDirectory)",
        ]
        berthd.environment = harness.environment
        try berthd.run()
        let deadline = Date().addingTimeInterval(10)
        while try harness.busctl(["call"] + manager + ["ListImages"]).status != 0 {
            guard Date() < deadline, berthd.isRunning else {
                kill(berthd.processIdentifier, SIGKILL)
                throw HarnessFailure("berthd --bus did not come up")
            }
            usleep(50_000)
        }
        return berthd
    }

    @Test(
        "portablectl set-limit reaches the quota groups; PoolUsage, PoolLimit, Usage and Limit report them",
        .enabled(if: unavailable == nil, "\(unavailable ?? "")")
    )
    func limitsAndFigures() throws {
        let fs = try BtrfsLoopFileSystem(prefix: "berth-dbus-quota")
        defer { fs.unmount() }
        try fs.enableQuota()
        try fs.createSubvolume("var/lib/portables")
        try fs.createSubvolume("var/lib/portables/sub")
        for name in ["sub", "plain"] {
            ImageTreeBuilder(root: fs.join("var/lib/portables/\(name)")).portableImage(units: [
                "\(name).service": "[Service]\n"
            ])
        }
        do {
            let harness = try BusHarness(inProcess: false, root: fs.mountPoint)
            defer { harness.stop() }
            let berthd = try Self.startBerthd(harness)
            defer {
                kill(berthd.processIdentifier, SIGTERM)
                berthd.waitUntilExit()
            }
            var result = try harness.portablectl(["set-limit", "sub", "64M"])
            #expect(result.status == 0 && result.stderr.isEmpty, "\(result)")
            // portablectl before 262 has no pool form of set-limit ("Too few arguments."): busctl.
            result = try harness.busctl(["call"] + Self.manager + ["SetPoolLimit", "t", "\(1 << 30)"])
            #expect(result.status == 0, "\(result)")
            try fs.btrfs(["quota", "rescan", "-w", fs.mountPoint])
            let groups = try fs.quotaGroups()
            let pool = try #require(groups["0/256"], "\(groups)")
            let subtree = try #require(groups["255/257"], "\(groups)")
            #expect(pool.referencedLimit == 1 << 30 && subtree.referencedLimit == 64 << 20, "\(groups)")

            result = try harness.busctl(["get-property"] + Self.manager + ["PoolPath", "PoolUsage", "PoolLimit"])
            #expect(
                result.stdout == "s \"/var/lib/portables\"\nt \(pool.referenced)\nt \(1 << 30)\n",
                "\(result)"
            )
            result = try harness.busctl(
                ["get-property"] + Self.image + ["Usage", "Limit", "UsageExclusive", "LimitExclusive"]
            )
            #expect(
                result.stdout
                    == "t \(subtree.referenced)\nt \(64 << 20)\nt \(subtree.exclusive)\nt 18446744073709551615\n",
                "\(result)"
            )

            result = try harness.portablectl(["set-limit", "sub", "none"])
            #expect(result.status == 0, "\(result)")
            #expect(try fs.quotaGroups()["255/257"]?.referencedLimit == nil)
            result = try harness.busctl(["get-property"] + Self.image + ["Limit"])
            #expect(result.stdout == "t 18446744073709551615\n", "\(result)")

            result = try harness.portablectl(["set-limit", "plain", "1M"])
            #expect(result.status == 1, "\(result)")
            #expect(result.stderr == "Could not set limit: Operation not supported\n", "\(result)")
            result = try harness.busctl(["call"] + Self.manager + ["SetPoolLimit", "t", "9223372036854775808"])
            #expect(result.status != 0 && result.stderr.contains("New limit out of range"), "\(result)")
            result = try harness.busctl(["call"] + Self.manager + ["SetImageLimit", "st", "a/b", "1"])
            #expect(result.status != 0, "\(result)")
        }
        fs.unmount()
        #expect(fs.leftovers.isEmpty, "\(fs.leftovers)")
    }
}
