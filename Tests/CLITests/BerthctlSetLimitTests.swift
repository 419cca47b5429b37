import Foundation
import TestSupport
import Testing

/// `berthctl set-limit` on a real btrfs in a loop-mounted file, in `--root` mode and through berthd,
/// checked with `btrfs qgroup show`; portablectl's messages where quota cannot work.
@Suite("berthctl set-limit", .serialized)
struct BerthctlSetLimitTests {
    static let unavailable = BtrfsLoopFileSystem.unavailableReason

    /// The pool as a subvolume (256) holding the subvolume image `sub` (257) and the directory `plain`.
    private static func btrfsTree(quota: Bool) throws -> BtrfsLoopFileSystem {
        let fs = try BtrfsLoopFileSystem(prefix: "berthctl-quota")
        if quota { try fs.enableQuota() }
        try fs.createSubvolume("var/lib/portables")
        try fs.createSubvolume("var/lib/portables/sub")
        for image in ["sub", "plain"] {
            ImageTreeBuilder(root: fs.join("var/lib/portables/\(image)")).portableImage(units: [
                "\(image).service": "[Service]\n"
            ])
        }
        for directory in ["etc/systemd/system", "run/systemd/system"] {
            try FileManager.default.createDirectory(atPath: fs.join(directory), withIntermediateDirectories: true)
        }
        return fs
    }

    @Test(
        "image and pool limits in --root mode and through berthd reach the kernel's quota groups",
        .enabled(if: unavailable == nil, "\(unavailable ?? "")")
    )
    func limitsReachTheKernel() throws {
        let fs = try Self.btrfsTree(quota: true)
        defer { fs.unmount() }
        let berthctl = try CLIRunner.executable("berthctl")
        var result = try CLIRunner.run(berthctl, ["--root=\(fs.mountPoint)", "set-limit", "sub", "64M"])
        #expect(result.status == 0 && result.stdout.isEmpty && result.stderr.isEmpty, "\(result)")
        result = try CLIRunner.run(berthctl, ["--root=\(fs.mountPoint)", "set-limit", "1G"])
        #expect(result.status == 0, "\(result)")
        var groups = try fs.quotaGroups()
        #expect(groups["0/257"]?.referencedLimit == 64 << 20 && groups["255/257"]?.referencedLimit == 64 << 20)
        #expect(groups["0/256"]?.referencedLimit == 1 << 30, "\(groups)")

        do {
            let daemon = try DaemonUnderTest(root: fs.mountPoint)
            result = try daemon.berthctl(["set-limit", "sub", "32M"])
            #expect(result.status == 0, "\(result)")
            result = try daemon.berthctl(["set-limit", "none"])
            #expect(result.status == 0, "\(result)")
            result = try daemon.berthctl(["set-limit", "plain", "1M"])
            #expect(result.status == 1, "\(result)")
            #expect(result.stderr.hasPrefix("Could not set limit: Operation not supported\n"), "\(result)")
            result = try daemon.berthctl(["set-limit", "sub", "5Q"])
            #expect(result.status == 1 && result.stderr.contains("Failed to parse size: 5Q"), "\(result)")
        }
        groups = try fs.quotaGroups()
        #expect(groups["255/257"]?.referencedLimit == 32 << 20, "\(groups)")
        #expect(groups["0/256"]?.referencedLimit == nil, "\(groups)")
        fs.unmount()
        #expect(fs.leftovers.isEmpty, "\(fs.leftovers)")
    }

    @Test(
        "without btrfs quota the pool limit fails as portabled words it",
        .enabled(if: unavailable == nil, "\(unavailable ?? "")")
    )
    func quotaOff() throws {
        let fs = try Self.btrfsTree(quota: false)
        defer { fs.unmount() }
        let berthctl = try CLIRunner.executable("berthctl")
        let pool = try CLIRunner.run(berthctl, ["--root=\(fs.mountPoint)", "set-limit", "1G"])
        #expect(pool.status == 1, "\(pool)")
        #expect(
            pool.stderr.hasPrefix(
                "Could not set limit: Failed to adjust quota limit: Transport endpoint is not connected\n"
            ),
            "\(pool)"
        )
        let image = try CLIRunner.run(berthctl, ["--root=\(fs.mountPoint)", "set-limit", "sub", "1G"])
        #expect(image.stderr.hasPrefix("Could not set limit: Transport endpoint is not connected\n"), "\(image)")
    }

    @Test("off btrfs: portablectl's NotSupported sentence for the pool, EOPNOTSUPP for an image")
    func notBtrfs() throws {
        let tree = try CLITestTree()
        try tree.makeImage("plain", units: ["plain.service": "[Service]\n"])
        let berthctl = try CLIRunner.executable("berthctl")
        let pool = try CLIRunner.run(berthctl, ["--root=\(tree.root)", "set-limit", "10G"])
        #expect(
            pool.status == 1 && pool.stderr == "Could not set limit: Quota is only supported on btrfs.\n",
            "\(pool)"
        )
        let image = try CLIRunner.run(berthctl, ["--root=\(tree.root)", "set-limit", "plain", "infinity"])
        #expect(image.status == 1, "\(image)")
        #expect(image.stderr.hasPrefix("Could not set limit: Operation not supported\n"), "\(image)")
        // The same words through berthd (NotSupported and io.systemd.System over Varlink).
        let daemon = try DaemonUnderTest(root: tree.root)
        let viaDaemon = try daemon.berthctl(["set-limit", "10G"])
        #expect(viaDaemon.stderr == "Could not set limit: Quota is only supported on btrfs.\n", "\(viaDaemon)")
        let imageViaDaemon = try daemon.berthctl(["set-limit", "plain", "-"])
        #expect(imageViaDaemon.stderr.hasPrefix("Could not set limit: Operation not supported\n"), "\(imageViaDaemon)")
    }
}
